// name: analytics/rank_cost_hot_spots
// returns: many
// description: Cost hot spots by category: for one month, each cost category's total (allocated or not) and
// the services bearing the most direct cost of that category, with their share of the category total.
// Categories by total (largest first), then services by amount.
// columns: category, categoryTotal, service, amount, share
// param period: string? = null -- the month, YYYY-MM; null takes the latest month with cost items
// param top: int 1..1000 = 3 -- how many services to list per category
MATCH (latest:CostItem)
WITH max(latest.period) AS latest
MATCH (k:CostItem)
WHERE k.period = coalesce($period, latest)
WITH k.category AS category, sum(k.amount) AS categoryTotal, collect(k) AS items
UNWIND items AS k
MATCH (k)-[a:ALLOCATED_TO]->(s:Service)
WITH category, categoryTotal, s, sum(k.amount * a.share) AS amount
ORDER BY categoryTotal DESC, category, amount DESC, s.id
WITH category, categoryTotal, collect({service: s.id, amount: amount}) AS ranked
UNWIND ranked[0..$top] AS r
RETURN category, round(100 * categoryTotal) / 100.0 AS categoryTotal, r.service AS service,
       round(100 * r.amount) / 100.0 AS amount,
       CASE WHEN categoryTotal > 0 THEN round(10000 * r.amount / categoryTotal) / 10000.0 END AS share
ORDER BY categoryTotal DESC, category, amount DESC, service
