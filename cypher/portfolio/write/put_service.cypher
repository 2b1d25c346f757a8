// name: portfolio/write/put_service
// returns: write
// description: Creates or updates a service; every key is present in $props (null removes a property).
//   Runs only inside an audited write (its entry, made by portfolio/audit/begin, must exist).
// param audit: string
// param id: string
// param props: map
MATCH (:AuditEntry {id: $audit})
MERGE (s:Service {id: $id})
SET s += $props
