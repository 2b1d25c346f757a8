// name: finance/write/put_cost_item
// returns: write
// description: Creates or updates a cost item and replaces its allocations; every key is present in $props
//   (null removes a property). Runs only inside an audited write (its entry must exist).
// param audit: string
// param id: string
// param props: map
// param allocations: list<map> each {service, share}
MATCH (:AuditEntry {id: $audit})
MERGE (k:CostItem {id: $id})
SET k += $props
WITH k
OPTIONAL MATCH (k)-[old:ALLOCATED_TO]->()
DELETE old
WITH DISTINCT k
UNWIND $allocations AS r
MATCH (s:Service {id: r.service})
CREATE (k)-[a:ALLOCATED_TO]->(s)
SET a.share = r.share
