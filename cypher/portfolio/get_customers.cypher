// name: portfolio/get_customers
// returns: many
// param ids: list<string>
UNWIND $ids AS id
MATCH (c:Customer {id: id})
OPTIONAL MATCH (m:RelationshipManager)-[:MANAGES]->(c)
RETURN properties(c) AS customer, properties(m) AS manager
