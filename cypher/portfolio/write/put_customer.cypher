// name: portfolio/write/put_customer
// returns: write
// description: Creates or updates a customer; every key is present in $props (null removes it).
// param audit: string
// param id: string
// param props: map
MATCH (:AuditEntry {id: $audit})
MERGE (c:Customer {id: $id})
SET c += $props
