// name: portfolio/write/remove_dependency
// returns: write
// param audit: string
// param consumer: string
// param provider: string
MATCH (:AuditEntry {id: $audit})
MATCH (:Service {id: $consumer})-[d:DEPENDS_ON]->(:Service {id: $provider})
DELETE d
