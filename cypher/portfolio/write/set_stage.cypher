// name: portfolio/write/set_stage
// returns: write
// description: Moves a service from stage $from to stage $to (nothing happens if it is no longer in $from).
// param audit: string
// param id: string
// param from: string
// param to: string
MATCH (:AuditEntry {id: $audit})
MATCH (s:Service {id: $id})
WHERE s.stage = $from
SET s.stage = $to
