// name: strategy/objective_facts
// returns: many
// description: Each strategic objective in $ids (null where no objective has the id), the services serving it
//   and the outcomes supporting it, with the graph version. One row per id.
// param ids: list<string>
OPTIONAL MATCH (m:Meta {id: 'graph'})
WITH coalesce(m.version, 0) AS version
UNWIND $ids AS key
OPTIONAL MATCH (o:StrategicObjective {id: key})
RETURN key, version, properties(o) AS objective,
  [(s:Service)-[:SERVES]->(o) | s.id] AS servedBy,
  [(x:BusinessOutcome)-[:SUPPORTS]->(o) | x.id] AS supportedBy
