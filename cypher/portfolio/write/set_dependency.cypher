// name: portfolio/write/set_dependency
// returns: write
// description: Creates the DEPENDS_ON edge from $consumer to $provider, or sets its properties if it exists.
//   Never a self-loop.
// param audit: string
// param consumer: string
// param provider: string
// param share: float?
// param redundancyGroup: string?
// param demandFactor: float?
MATCH (:AuditEntry {id: $audit})
MATCH (c:Service {id: $consumer})
MATCH (p:Service {id: $provider})
WHERE c <> p
MERGE (c)-[d:DEPENDS_ON]->(p)
SET d.share = $share, d.redundancyGroup = $redundancyGroup, d.demandFactor = $demandFactor
