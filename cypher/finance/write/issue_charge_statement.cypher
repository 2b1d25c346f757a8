// name: finance/write/issue_charge_statement
// returns: write
// description: Stores an issued charge statement once: MERGE on the (customer, month) id, so a second issue
//   that slipped past the check finds the first and changes nothing. Runs only inside an audited write.
// param audit: string
// param id: string
// param customer: string
// param props: map
MATCH (:AuditEntry {id: $audit})
MATCH (c:Customer {id: $customer})
MERGE (st:ChargeStatement {id: $id})
ON CREATE SET st += $props
MERGE (st)-[:BILLS]->(c)
