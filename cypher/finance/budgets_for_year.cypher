// name: finance/budgets_for_year
// returns: many
// columns: service, period, amount
// param year: string
MATCH (b:Budget)-[:FOR]->(s:Service)
WHERE b.period STARTS WITH $year
RETURN s.id AS service, b.period AS period, b.amount AS amount
