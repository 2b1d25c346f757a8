// name: relationships/rules/complaint_facts
// returns: one
// description: What the complaint rules need, with the graph version: the complaint with id $id (null if none),
//   whether customer $customer and service $service exist (for raising one).
// param id: string
// param customer: string?
// param service: string?
OPTIONAL MATCH (m:Meta {id: 'graph'})
WITH coalesce(m.version, 0) AS version
OPTIONAL MATCH (x:Complaint {id: $id})
OPTIONAL MATCH (x)-[:RAISED_BY]->(owner:Customer)
OPTIONAL MATCH (x)-[:ABOUT]->(about:Service)
OPTIONAL MATCH (c:Customer {id: $customer})
OPTIONAL MATCH (s:Service {id: $service})
RETURN version, properties(x) AS complaint, owner.id AS owner, about.id AS about,
  c IS NOT NULL AS customerFound, s IS NOT NULL AS serviceFound
