// name: portfolio/rules/outcome_facts
// returns: many
// description: What the portfolio rules need to know about each business outcome in $ids, with the graph
//   version. One row per id; `outcome` is null where no outcome has the id.
// param ids: list<string>
OPTIONAL MATCH (m:Meta {id: 'graph'})
WITH coalesce(m.version, 0) AS version
UNWIND $ids AS key
OPTIONAL MATCH (o:BusinessOutcome {id: key})
RETURN key, version, properties(o) AS outcome,
  [(s:Service)-[:ENABLES]->(o) | s.id] AS enabledBy,
  [(c:Customer)-[:PURSUES]->(o) | c.id] AS pursuedBy
