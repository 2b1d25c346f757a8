// name: portfolio/get_subscriptions_of_services
// returns: many
// param ids: list<string>
UNWIND $ids AS key
MATCH (c:Customer)-[r:SUBSCRIBES]->(:Service {id: key})
RETURN key, c.id AS customer, key AS service, properties(r) AS subscription
ORDER BY key, customer
