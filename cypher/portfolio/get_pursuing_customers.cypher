// name: portfolio/get_pursuing_customers
// returns: many
// param ids: list<string>
UNWIND $ids AS key
MATCH (c:Customer)-[:PURSUES]->(:BusinessOutcome {id: key})
OPTIONAL MATCH (m:RelationshipManager)-[:MANAGES]->(c)
RETURN key, properties(c) AS customer, properties(m) AS manager
ORDER BY key, c.id
