// name: portfolio/import/existing_subscriptions
// returns: many
// description: The graph's subscriptions with their shares, for the document's subscription rules.
MATCH (c:Customer)-[x:SUBSCRIBES]->(s:Service)
RETURN s.id AS service, c.id AS customer, x.share AS share
