// name: analytics/find_budget_overruns
// returns: many
// description: Budget overruns: services whose direct cost in a month (the month's cost items allocated to
// them) is above their budget for that month. `ratio` is direct cost over budget. By month, then by the
// amount over budget.
// columns: service, period, budget, directCost, overBy, ratio
// param period: string? = null -- the month, YYYY-MM; null checks every month with a budget
MATCH (b:Budget)-[:FOR]->(s:Service)
WHERE $period IS NULL OR b.period = $period
OPTIONAL MATCH (k:CostItem)-[a:ALLOCATED_TO]->(s)
WHERE k.period = b.period
WITH s, b, sum(coalesce(k.amount * a.share, 0.0)) AS direct
WHERE direct > b.amount
RETURN s.id AS service, b.period AS period, b.amount AS budget, round(100 * direct) / 100.0 AS directCost,
       round(100 * (direct - b.amount)) / 100.0 AS overBy,
       CASE WHEN b.amount > 0 THEN round(10000 * direct / b.amount) / 10000.0 END AS ratio
ORDER BY period, overBy DESC, service
