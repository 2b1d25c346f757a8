// name: portfolio/list_customers
// returns: many
// param offset: int
// param first: int
MATCH (c:Customer)
WITH c ORDER BY c.id SKIP $offset LIMIT $first
OPTIONAL MATCH (m:RelationshipManager)-[:MANAGES]->(c)
RETURN properties(c) AS customer, properties(m) AS manager
ORDER BY c.id
