// name: portfolio/export/business_cases
// returns: many
MATCH (b:BusinessCase)
OPTIONAL MATCH (b)-[:JUSTIFIES]->(s:Service)
RETURN s.id AS service, properties(b) AS props
ORDER BY b.id
