// name: analytics/find_unserved_outcomes
// returns: many
// description: Business outcomes with no live service: no catalogue service enables them (none does, or only
// pipeline or retired services do). `enabledBy` lists those non-live services, `pursuedBy` the customers
// who want the outcome.
// columns: outcome, name, enabledBy, pursuedBy
MATCH (o:BusinessOutcome)
OPTIONAL MATCH (s:Service)-[:ENABLES]->(o)
WITH o, s
ORDER BY s.id
WITH o, collect(s) AS enablers
WHERE none(s IN enablers WHERE s.stage = 'CATALOGUE')
OPTIONAL MATCH (c:Customer)-[:PURSUES]->(o)
WITH o, enablers, c
ORDER BY c.id
WITH o, enablers, collect(c.id) AS pursuedBy
RETURN o.id AS outcome, o.name AS name, [s IN enablers | s.id] AS enabledBy, pursuedBy
ORDER BY outcome
