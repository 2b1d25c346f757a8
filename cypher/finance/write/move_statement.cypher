// name: finance/write/move_statement
// returns: write
// description: Moves an issued statement along its life cycle: its state, credit lines, history and payment
//   time ($props). The lines and totals it was issued with are never touched. Runs only inside an audited write.
// param audit: string
// param id: string
// param props: map
MATCH (:AuditEntry {id: $audit})
MATCH (st:ChargeStatement {id: $id})
SET st.state = $props.state, st.credits = $props.credits, st.history = $props.history, st.paidAt = $props.paidAt
