// name: relationships/customer_view
// returns: one
// description: A customer (null if none) with its manager, the services it subscribes to and the outcomes it
//   pursues, for the customer view.
// param id: string
OPTIONAL MATCH (c:Customer {id: $id})
OPTIONAL MATCH (brm:RelationshipManager)-[:MANAGES]->(c)
RETURN properties(c) AS customer, properties(brm) AS manager,
  [(c)-[:SUBSCRIBES]->(s:Service) | properties(s)] AS services,
  [(c)-[:PURSUES]->(o:BusinessOutcome) | properties(o)] AS outcomes
