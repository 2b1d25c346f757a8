// name: portfolio/rules/customer_facts
// returns: many
// description: What the portfolio rules need to know about each customer in $ids, with the graph version.
//   One row per id; `customer` is null where no customer has the id.
// param ids: list<string>
OPTIONAL MATCH (m:Meta {id: 'graph'})
WITH coalesce(m.version, 0) AS version
UNWIND $ids AS key
OPTIONAL MATCH (c:Customer {id: key})
RETURN key, version, properties(c) AS customer,
  [(c)-[sub:SUBSCRIBES]->(s:Service) | {service: s.id, props: properties(sub)}] AS subscriptions,
  [(c)-[:PURSUES]->(o:BusinessOutcome) | o.id] AS pursues,
  [(v:SatisfactionSurvey)-[:OF]->(c) | v.id] AS surveys,
  [(cp:Complaint)-[:RAISED_BY]->(c) WHERE cp.status <> 'CLOSED' | cp.id] AS complaints
