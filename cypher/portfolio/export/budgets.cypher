// name: portfolio/export/budgets
// returns: many
MATCH (b:Budget)-[:FOR]->(s:Service)
RETURN s.id AS service, properties(b) AS props
ORDER BY service, b.period
