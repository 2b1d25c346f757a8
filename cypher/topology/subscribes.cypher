// name: topology/subscribes
// returns: many
MATCH (c:Customer)-[:SUBSCRIBES]->(s:Service)
RETURN c.id AS customer, s.id AS service
