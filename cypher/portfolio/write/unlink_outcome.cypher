// name: portfolio/write/unlink_outcome
// returns: write
// param audit: string
// param service: string
// param outcome: string
MATCH (:AuditEntry {id: $audit})
MATCH (:Service {id: $service})-[e:ENABLES]->(:BusinessOutcome {id: $outcome})
DELETE e
