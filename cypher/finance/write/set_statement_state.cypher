// name: finance/write/set_statement_state
// returns: write
// description: Moves the issued statement $id to a new state: $props holds the state, who moved it when and
//   why, and the credit lines (JSON) of a settled dispute; the statement's original lines never change.
//   Runs only inside an audited write.
// param audit: string
// param id: string
// param props: map
MATCH (:AuditEntry {id: $audit})
MATCH (st:ChargeStatement {id: $id})
SET st += $props
