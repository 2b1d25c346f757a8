// name: finance/cost_item_periods
// returns: many
// description: The months of the cost items among $ids that exist (what an import would change).
// columns: period
// param ids: list<string>
UNWIND $ids AS id
MATCH (k:CostItem {id: id})
RETURN DISTINCT k.period AS period
