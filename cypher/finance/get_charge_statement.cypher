// name: finance/get_charge_statement
// returns: one
// param id: string
MATCH (st:ChargeStatement {id: $id})
RETURN properties(st) AS statement
