// name: analytics/find_objectives_without_live_service
// returns: many
// description: Strategic objectives with no live service behind them: no catalogue service serves them
// directly, nor enables a business outcome that supports them. `servedBy` lists the services that do serve
// them (pipeline or retired ones), `supportedBy` the supporting outcomes, `owner` and `horizon` who should
// act and by when.
// columns: objective, name, owner, horizon, servedBy, supportedBy
MATCH (o:StrategicObjective)
OPTIONAL MATCH (s:Service)-[:SERVES]->(o)
WITH o, s
ORDER BY s.id
WITH o, collect(s) AS servers
OPTIONAL MATCH (x:BusinessOutcome)-[:SUPPORTS]->(o)
WITH o, servers, x
ORDER BY x.id
WITH o, servers, collect(x) AS outcomes
OPTIONAL MATCH (e:Service {stage: 'CATALOGUE'})-[:ENABLES]->(:BusinessOutcome)-[:SUPPORTS]->(o)
WITH o, servers, outcomes, count(e) AS liveEnablers
WHERE liveEnablers = 0 AND none(s IN servers WHERE s.stage = 'CATALOGUE')
RETURN o.id AS objective, o.name AS name, o.owner AS owner, o.horizon AS horizon, [s IN servers | s.id] AS servedBy,
       [x IN outcomes | x.id] AS supportedBy
ORDER BY objective
