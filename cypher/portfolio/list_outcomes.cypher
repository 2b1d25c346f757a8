// name: portfolio/list_outcomes
// returns: many
MATCH (o:BusinessOutcome)
RETURN properties(o) AS outcome
ORDER BY o.id
