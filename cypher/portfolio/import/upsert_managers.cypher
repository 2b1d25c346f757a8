// name: portfolio/import/upsert_managers
// returns: write
// param rows: list<map> each {customer, id, props}
// param audit: string
MATCH (:AuditEntry {id: $audit})
UNWIND $rows AS r
MERGE (m:RelationshipManager {id: r.id})
SET m += r.props
WITH m, r
MATCH (c:Customer {id: r.customer})
MERGE (m)-[:MANAGES]->(c)
