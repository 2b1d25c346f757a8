// name: finance/count_cost_items_for_period
// returns: scalar
// description: How many cost items the month has (whether to read it in parts side by side).
// param period: string
MATCH (k:CostItem {period: $period})
RETURN count(k) AS n
