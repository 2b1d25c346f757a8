// name: finance/get_charge_statement
// returns: one
// description: The issued statement $id (null when none was issued), whether the customer exists, and the
//   portfolio's currency.
// columns: customerExists, statement, currency
// param id: string
// param customer: string
OPTIONAL MATCH (m:Meta {id: 'graph'})
OPTIONAL MATCH (c:Customer {id: $customer})
OPTIONAL MATCH (st:ChargeStatement {id: $id})
RETURN c IS NOT NULL AS customerExists, properties(st) AS statement, m.currency AS currency
