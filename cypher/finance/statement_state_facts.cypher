// name: finance/statement_state_facts
// returns: one
// description: The graph version and the issued statement $id (null when none was issued): what a move of
//   its state is checked against.
// columns: version, statement
// param id: string
OPTIONAL MATCH (m:Meta {id: 'graph'})
OPTIONAL MATCH (st:ChargeStatement {id: $id})
RETURN coalesce(m.version, 0) AS version, properties(st) AS statement
