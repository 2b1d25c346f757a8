// name: analytics/find_services_without_outcome
// returns: many
// description: Customer-facing services (pipeline or catalogue) that enable no business outcome: what are
// they for? Supporting services serve outcomes through their consumers and are not listed.
// columns: service, name, stage, owner, subscribers
MATCH (s:Service {kind: 'CUSTOMER_FACING'})
WHERE s.stage <> 'RETIRED'
OPTIONAL MATCH (s)-[:ENABLES]->(o:BusinessOutcome)
WITH s, count(o) AS outcomes
WHERE outcomes = 0
OPTIONAL MATCH (c:Customer)-[:SUBSCRIBES]->(s)
RETURN s.id AS service, s.name AS name, s.stage AS stage, s.owner AS owner, count(c) AS subscribers
ORDER BY service
