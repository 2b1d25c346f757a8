// name: finance/subscriptions_for_charging
// returns: many
// columns: customer, service, share, units, specialBusinessCase
MATCH (c:Customer)-[x:SUBSCRIBES]->(s:Service)
RETURN c.id AS customer, s.id AS service, x.share AS share, x.units AS units, x.specialBusinessCase AS specialBusinessCase
