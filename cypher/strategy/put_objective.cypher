// name: strategy/put_objective
// returns: write
// description: Creates or updates a strategic objective; every key is present in $props (null removes it).
// param audit: string
// param id: string
// param props: map
MATCH (:AuditEntry {id: $audit})
MERGE (o:StrategicObjective {id: $id})
SET o += $props
