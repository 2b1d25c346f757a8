// name: portfolio/import/upsert_business_cases
// returns: write
// param rows: list<map> each {id, service, props}
// param audit: string
MATCH (:AuditEntry {id: $audit})
UNWIND $rows AS r
MATCH (s:Service {id: r.service})
MERGE (b:BusinessCase {id: r.id})
SET b += r.props
WITH b, s
OPTIONAL MATCH (b)-[old:JUSTIFIES]->()
DELETE old
WITH DISTINCT b, s
MERGE (b)-[:JUSTIFIES]->(s)
