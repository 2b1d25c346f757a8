// name: strategy/link_serves
// returns: write
// param audit: string
// param service: string
// param objective: string
MATCH (:AuditEntry {id: $audit})
MATCH (s:Service {id: $service})
MATCH (o:StrategicObjective {id: $objective})
MERGE (s)-[:SERVES]->(o)
