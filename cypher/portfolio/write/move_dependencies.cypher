// name: portfolio/write/move_dependencies
// returns: write
// description: Moves the DEPENDS_ON edges of the consumers in $rows from $service to $replacement. Each row
//   holds the properties the edge to the replacement ends up with: the old edge's where the consumer did not
//   depend on the replacement yet, the merged ones where it did (MERGE keeps one edge per pair).
// param audit: string
// param service: string
// param replacement: string
// param rows: list<map> each {consumer, share, redundancyGroup, demandFactor}
MATCH (:AuditEntry {id: $audit})
MATCH (r:Service {id: $replacement})
UNWIND $rows AS row
MATCH (c:Service {id: row.consumer})-[old:DEPENDS_ON]->(:Service {id: $service})
WHERE c <> r
MERGE (c)-[d:DEPENDS_ON]->(r)
SET d.share = row.share, d.redundancyGroup = row.redundancyGroup, d.demandFactor = row.demandFactor
DELETE old
