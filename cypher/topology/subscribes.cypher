// name: topology/subscribes
// returns: many
// columns: customer, service, specialBusinessCase
MATCH (c:Customer)-[x:SUBSCRIBES]->(s:Service)
RETURN c.id AS customer, s.id AS service, x.specialBusinessCase AS specialBusinessCase
