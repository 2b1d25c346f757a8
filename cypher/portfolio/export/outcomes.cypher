// name: portfolio/export/outcomes
// returns: many
MATCH (o:BusinessOutcome)
RETURN properties(o) AS props
ORDER BY o.id
