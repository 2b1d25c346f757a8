// name: finance/get_statement_state
// returns: one
// description: The issued statement $id (its stored properties; null when none was issued), whether the
//   customer exists, and the graph version these were read at (a life-cycle move is written only if the graph
//   is still there).
// columns: customerExists, statement, version
// param id: string
// param customer: string
OPTIONAL MATCH (m:Meta {id: 'graph'})
OPTIONAL MATCH (c:Customer {id: $customer})
OPTIONAL MATCH (st:ChargeStatement {id: $id})
RETURN c IS NOT NULL AS customerExists, properties(st) AS statement, coalesce(m.version, 0) AS version
