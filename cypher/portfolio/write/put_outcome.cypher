// name: portfolio/write/put_outcome
// returns: write
// description: Creates or updates a business outcome; every key is present in $props (null removes it).
// param audit: string
// param id: string
// param props: map
MATCH (:AuditEntry {id: $audit})
MERGE (o:BusinessOutcome {id: $id})
SET o += $props
