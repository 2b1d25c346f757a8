// name: strategy/link_supports
// returns: write
// param audit: string
// param outcome: string
// param objective: string
MATCH (:AuditEntry {id: $audit})
MATCH (x:BusinessOutcome {id: $outcome})
MATCH (o:StrategicObjective {id: $objective})
MERGE (x)-[:SUPPORTS]->(o)
