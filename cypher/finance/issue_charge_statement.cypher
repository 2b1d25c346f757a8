// name: finance/issue_charge_statement
// returns: one
// description: Stores a statement once: MERGE on the (customer, month) id, so a second issue finds the first and changes nothing.
// param id: string
// param customer: string
// param period: string
// param token: string
// param issuedAt: string
// param issuedBy: string
// param currency: string
// param total: float
// param lines: string
MATCH (c:Customer {id: $customer})
MERGE (st:ChargeStatement {id: $id})
ON CREATE SET st.customer = $customer, st.period = $period, st.token = $token, st.issuedAt = $issuedAt,
  st.issuedBy = $issuedBy, st.currency = $currency, st.total = $total, st.lines = $lines
MERGE (st)-[:BILLS]->(c)
RETURN st.token = $token AS created, properties(st) AS statement
