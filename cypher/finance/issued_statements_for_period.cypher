// name: finance/issued_statements_for_period
// returns: one
// description: Every charge statement issued for the month $period (their stored properties, lines as JSON) and
//   the portfolio's currency: what charges at risk need besides the live lines, in one read.
// columns: currency, statements
// param period: string
OPTIONAL MATCH (m:Meta {id: 'graph'})
OPTIONAL MATCH (st:ChargeStatement {period: $period})
RETURN m.currency AS currency, collect(properties(st)) AS statements
