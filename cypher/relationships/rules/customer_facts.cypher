// name: relationships/rules/customer_facts
// returns: one
// description: The customer $id (null if none), its relationship manager and its survey of $period, with the
//   graph version.
// param id: string
// param period: string?
OPTIONAL MATCH (m:Meta {id: 'graph'})
WITH coalesce(m.version, 0) AS version
OPTIONAL MATCH (c:Customer {id: $id})
OPTIONAL MATCH (brm:RelationshipManager)-[:MANAGES]->(c)
OPTIONAL MATCH (v:SatisfactionSurvey {period: $period})-[:OF]->(c)
RETURN version, properties(c) AS customer, properties(brm) AS manager, properties(v) AS survey
