// name: finance/write/delete_cost_item
// returns: write
// description: Deletes a cost item with its allocations. Runs only inside an audited write.
// param audit: string
// param id: string
MATCH (:AuditEntry {id: $audit})
MATCH (k:CostItem {id: $id})
DETACH DELETE k
