// name: finance/count_statements
// returns: scalar
// description: How many issued charge statements match the filters (null: any), as finance/list_statements.
// param period: string?
// param customer: string?
// param state: string?
MATCH (st:ChargeStatement)
WHERE ($period IS NULL OR st.period = $period) AND ($customer IS NULL OR st.customer = $customer)
  AND ($state IS NULL OR coalesce(st.state, 'ISSUED') = $state)
RETURN count(st) AS n
