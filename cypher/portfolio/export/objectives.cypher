// name: portfolio/export/objectives
// returns: many
MATCH (o:StrategicObjective)
RETURN properties(o) AS props
ORDER BY o.id
