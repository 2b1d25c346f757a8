// name: strategy/unlink_supports
// returns: write
// param audit: string
// param outcome: string
// param objective: string
MATCH (:AuditEntry {id: $audit})
MATCH (:BusinessOutcome {id: $outcome})-[r:SUPPORTS]->(:StrategicObjective {id: $objective})
DELETE r
