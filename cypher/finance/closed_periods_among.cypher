// name: finance/closed_periods_among
// returns: many
// description: Which of the months $periods are closed, with who closed them and when.
// columns: period, closedAt, closedBy
// param periods: list<string>
UNWIND $periods AS period
MATCH (p:Period {id: period})
WHERE p.state = 'CLOSED'
RETURN p.id AS period, p.closedAt AS closedAt, p.closedBy AS closedBy
