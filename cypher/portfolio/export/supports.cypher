// name: portfolio/export/supports
// returns: many
MATCH (x:BusinessOutcome)-[:SUPPORTS]->(o:StrategicObjective)
RETURN o.id AS objective, x.id AS outcome
ORDER BY objective, outcome
