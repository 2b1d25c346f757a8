// name: portfolio/get_subscriptions_of_customers
// returns: many
// param ids: list<string>
UNWIND $ids AS key
MATCH (:Customer {id: key})-[r:SUBSCRIBES]->(s:Service)
RETURN key, key AS customer, s.id AS service, properties(r) AS subscription
ORDER BY key, service
