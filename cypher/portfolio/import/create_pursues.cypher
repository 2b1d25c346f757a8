// name: portfolio/import/create_pursues
// returns: write
// param rows: list<map> each {customer, outcome}
// param audit: string
MATCH (:AuditEntry {id: $audit})
UNWIND $rows AS r
MATCH (c:Customer {id: r.customer})
MATCH (o:BusinessOutcome {id: r.outcome})
CREATE (c)-[:PURSUES]->(o)
