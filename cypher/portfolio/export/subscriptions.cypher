// name: portfolio/export/subscriptions
// returns: many
MATCH (c:Customer)-[x:SUBSCRIBES]->(s:Service)
RETURN c.id AS customer, s.id AS service, properties(x) AS props
ORDER BY customer, service
