// name: analytics/find_orphaned_services
// returns: many
// description: Orphaned supporting services: pipeline or catalogue supporting services that no live service
// consumes (nothing depends on them, or only retired services do). `retiredConsumers` lists the retired
// services that still point at them.
// columns: service, name, owner, stage, retiredConsumers
MATCH (s:Service {kind: 'SUPPORTING'})
WHERE s.stage <> 'RETIRED'
OPTIONAL MATCH (c:Service)-[:DEPENDS_ON]->(s)
WITH s, c
ORDER BY c.id
WITH s, collect(c) AS consumers
WHERE all(c IN consumers WHERE c.stage = 'RETIRED')
RETURN s.id AS service, s.name AS name, s.owner AS owner, s.stage AS stage, [c IN consumers | c.id] AS retiredConsumers
ORDER BY service
