// name: finance/cost_periods
// returns: many
// description: Every month that has cost items, in order.
MATCH (k:CostItem)
RETURN DISTINCT k.period AS period
ORDER BY period
