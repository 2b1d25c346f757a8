// name: portfolio/export/customers
// returns: many
MATCH (c:Customer)
OPTIONAL MATCH (m:RelationshipManager)-[:MANAGES]->(c)
RETURN properties(c) AS props, properties(m) AS manager
ORDER BY c.id
