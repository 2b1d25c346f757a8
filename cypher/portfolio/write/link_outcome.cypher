// name: portfolio/write/link_outcome
// returns: write
// param audit: string
// param service: string
// param outcome: string
MATCH (:AuditEntry {id: $audit})
MATCH (s:Service {id: $service})
MATCH (o:BusinessOutcome {id: $outcome})
MERGE (s)-[:ENABLES]->(o)
