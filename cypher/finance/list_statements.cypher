// name: finance/list_statements
// returns: many
// description: One page of issued charge statements matching the filters (null: any), ordered by id
//   (customer:period), after the id $after; $limit rows at most. A statement without a state is ISSUED.
// columns: statement
// param period: string?
// param customer: string?
// param state: string?
// param after: string?
// param limit: int
MATCH (st:ChargeStatement)
WHERE ($period IS NULL OR st.period = $period) AND ($customer IS NULL OR st.customer = $customer)
  AND ($state IS NULL OR coalesce(st.state, 'ISSUED') = $state) AND ($after IS NULL OR st.id > $after)
RETURN properties(st) AS statement
ORDER BY st.id
LIMIT $limit
