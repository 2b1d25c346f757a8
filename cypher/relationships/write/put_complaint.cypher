// name: relationships/write/put_complaint
// returns: write
// description: Creates a complaint raised by $customer, about $service if given. Runs only inside an audited write.
// param audit: string
// param id: string
// param customer: string
// param service: string?
// param props: map
MATCH (:AuditEntry {id: $audit})
MATCH (c:Customer {id: $customer})
CREATE (x:Complaint {id: $id})
SET x += $props
CREATE (x)-[:RAISED_BY]->(c)
WITH x
OPTIONAL MATCH (s:Service {id: $service})
FOREACH (_ IN CASE WHEN s IS NULL THEN [] ELSE [1] END | CREATE (x)-[:ABOUT]->(s))
