// name: portfolio/list_outcomes
// returns: many
// param offset: int
// param first: int
MATCH (o:BusinessOutcome)
RETURN properties(o) AS outcome
ORDER BY o.id
SKIP $offset LIMIT $first
