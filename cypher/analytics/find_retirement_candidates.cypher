// name: analytics/find_retirement_candidates
// returns: many
// description: Retirement candidates among catalogue services: those with no subscribers and no live
// consumer (reason NO_CONSUMERS), and customer-facing ones that enable no business outcome while their
// direct cost in the month is above a threshold (reason COST_WITHOUT_OUTCOME). Direct cost is the sum of
// the month's cost items allocated to the service.
// columns: service, name, kind, reason, directCost
// param period: string? = null -- the month, YYYY-MM; null takes the latest month with cost items
// param min_cost: float 0.. = 10000 -- direct monthly cost above which a customer-facing service without outcome is listed
MATCH (latest:CostItem)
WITH max(latest.period) AS latest
MATCH (s:Service {stage: 'CATALOGUE'})
OPTIONAL MATCH (k:CostItem)-[a:ALLOCATED_TO]->(s)
WHERE k.period = coalesce($period, latest)
WITH s, sum(coalesce(k.amount * a.share, 0.0)) AS directCost
OPTIONAL MATCH (c:Customer)-[:SUBSCRIBES]->(s)
WITH s, directCost, count(c) AS subscribers
OPTIONAL MATCH (u:Service)-[:DEPENDS_ON]->(s)
WHERE u.stage <> 'RETIRED'
WITH s, directCost, subscribers, count(u) AS consumers
OPTIONAL MATCH (s)-[:ENABLES]->(o:BusinessOutcome)
WITH s, directCost, subscribers, consumers, count(o) AS outcomes
WITH s, directCost,
     CASE
       WHEN subscribers = 0 AND consumers = 0 THEN 'NO_CONSUMERS'
       WHEN s.kind = 'CUSTOMER_FACING' AND outcomes = 0 AND directCost > $min_cost THEN 'COST_WITHOUT_OUTCOME'
     END AS reason
WHERE reason IS NOT NULL
RETURN s.id AS service, s.name AS name, s.kind AS kind, reason, round(100 * directCost) / 100.0 AS directCost
ORDER BY service
