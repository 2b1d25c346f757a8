// name: analytics/find_pipeline_without_business_case
// returns: many
// description: Pipeline services with no business case justifying them. `riskAssessed` and `costItems` (cost
// items allocated to it) show how far the due diligence for entering the catalogue has gone.
// columns: service, name, kind, owner, riskAssessed, costItems
MATCH (s:Service {stage: 'PIPELINE'})
OPTIONAL MATCH (b:BusinessCase)-[:JUSTIFIES]->(s)
WITH s, count(b) AS cases
WHERE cases = 0
OPTIONAL MATCH (k:CostItem)-[:ALLOCATED_TO]->(s)
RETURN s.id AS service, s.name AS name, s.kind AS kind, s.owner AS owner,
       coalesce(s.riskAssessed, false) AS riskAssessed, count(k) AS costItems
ORDER BY service
