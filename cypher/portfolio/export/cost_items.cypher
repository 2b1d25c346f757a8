// name: portfolio/export/cost_items
// returns: many
MATCH (k:CostItem)
RETURN properties(k) AS props
ORDER BY k.id
