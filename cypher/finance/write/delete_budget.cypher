// name: finance/write/delete_budget
// returns: write
// description: Removes the budget line $id. Runs only inside an audited write.
// param audit: string
// param id: string
MATCH (:AuditEntry {id: $audit})
MATCH (b:Budget {id: $id})
DETACH DELETE b
