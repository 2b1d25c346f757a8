// name: finance/write/issue_charge_statements
// returns: write
// description: Stores issued charge statements ($rows: {id, customer, props}) once each, as
//   finance/write/issue_charge_statement does for one. Runs only inside an audited write.
// param audit: string
// param rows: list<map> each {id, customer, props}
MATCH (:AuditEntry {id: $audit})
UNWIND $rows AS row
MATCH (c:Customer {id: row.customer})
MERGE (st:ChargeStatement {id: row.id})
ON CREATE SET st += row.props
MERGE (st)-[:BILLS]->(c)
