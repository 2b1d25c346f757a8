// name: finance/write/put_business_case
// returns: write
// description: Creates or updates the business case $id (every key present in $props) and makes it justify
//   $service only. Runs only inside an audited write.
// param audit: string
// param id: string
// param service: string
// param props: map
MATCH (:AuditEntry {id: $audit})
MATCH (s:Service {id: $service})
MERGE (b:BusinessCase {id: $id})
SET b += $props
WITH b, s
OPTIONAL MATCH (b)-[old:JUSTIFIES]->()
DELETE old
WITH DISTINCT b, s
MERGE (b)-[:JUSTIFIES]->(s)
