// name: portfolio/export/serves
// returns: many
MATCH (s:Service)-[:SERVES]->(o:StrategicObjective)
RETURN s.id AS service, o.id AS objective
ORDER BY service, objective
