// name: portfolio/import/create_dependencies
// returns: write
// param rows: list<map> each {consumer, provider, share, redundancyGroup, demandFactor}
// param audit: string
MATCH (:AuditEntry {id: $audit})
UNWIND $rows AS r
MATCH (c:Service {id: r.consumer})
MATCH (p:Service {id: r.provider})
CREATE (c)-[d:DEPENDS_ON]->(p)
SET d.share = r.share, d.redundancyGroup = r.redundancyGroup, d.demandFactor = r.demandFactor
