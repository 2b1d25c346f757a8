// name: strategy/unlink_serves
// returns: write
// param audit: string
// param service: string
// param objective: string
MATCH (:AuditEntry {id: $audit})
MATCH (:Service {id: $service})-[r:SERVES]->(:StrategicObjective {id: $objective})
DELETE r
