// name: portfolio/list_customers
// returns: many
MATCH (c:Customer)
OPTIONAL MATCH (m:RelationshipManager)-[:MANAGES]->(c)
RETURN properties(c) AS customer, properties(m) AS manager
ORDER BY c.id
