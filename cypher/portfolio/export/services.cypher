// name: portfolio/export/services
// returns: many
MATCH (s:Service)
RETURN properties(s) AS props
ORDER BY s.id
