// name: finance/list_periods
// returns: many
// description: Every month that has cost items, budgets, issued statements or a closing record (unordered).
// columns: period
MATCH (k:CostItem)
RETURN DISTINCT k.period AS period
UNION
MATCH (b:Budget)
RETURN DISTINCT b.period AS period
UNION
MATCH (st:ChargeStatement)
RETURN DISTINCT st.period AS period
UNION
MATCH (p:Period)
RETURN DISTINCT p.id AS period
