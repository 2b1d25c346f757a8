// name: portfolio/import/create_enables
// returns: write
// param rows: list<map> each {service, outcome}
// param audit: string
MATCH (:AuditEntry {id: $audit})
UNWIND $rows AS r
MATCH (s:Service {id: r.service})
MATCH (o:BusinessOutcome {id: r.outcome})
CREATE (s)-[:ENABLES]->(o)
