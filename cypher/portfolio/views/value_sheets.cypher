// name: portfolio/views/value_sheets
// returns: many
// description: For each service in $ids: the outcomes it enables, its subscriptions, and the customers who
//   pursue those outcomes.
// param ids: list<string>
UNWIND $ids AS key
MATCH (s:Service {id: key})
RETURN key, properties(s) AS service,
  [(s)-[:ENABLES]->(o:BusinessOutcome) | properties(o)] AS outcomes,
  [(sc:Customer)-[sub:SUBSCRIBES]->(s) | {customer: sc.id, props: properties(sub)}] AS subscriptions,
  [(s)-[:ENABLES]->(:BusinessOutcome)<-[:PURSUES]-(pc:Customer) | pc.id] AS pursuers
