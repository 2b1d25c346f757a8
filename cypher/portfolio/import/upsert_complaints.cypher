// name: portfolio/import/upsert_complaints
// returns: write
// param rows: list<map> each {id, customer, service, props}
// param audit: string
MATCH (:AuditEntry {id: $audit})
UNWIND $rows AS r
MATCH (c:Customer {id: r.customer})
MERGE (x:Complaint {id: r.id})
SET x += r.props
WITH x, c, r
OPTIONAL MATCH (x)-[old:RAISED_BY|ABOUT]->()
DELETE old
WITH DISTINCT x, c, r
MERGE (x)-[:RAISED_BY]->(c)
WITH x, r
OPTIONAL MATCH (s:Service {id: r.service})
FOREACH (_ IN CASE WHEN s IS NULL THEN [] ELSE [1] END | MERGE (x)-[:ABOUT]->(s))
