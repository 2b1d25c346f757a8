// name: finance/revenue_statements
// returns: many
// description: The issued statements of months $from to $to (inclusive; null: any) of $customer (null: any),
//   with what revenue needs: customer, month, state, the lines (JSON, for their charges) and credit lines.
// columns: customer, period, state, lines, credits
// param from: string?
// param to: string?
// param customer: string?
MATCH (st:ChargeStatement)
WHERE ($customer IS NULL OR st.customer = $customer)
  AND ($from IS NULL OR st.period >= $from) AND ($to IS NULL OR st.period <= $to)
RETURN st.customer AS customer, st.period AS period, coalesce(st.state, 'ISSUED') AS state, st.lines AS lines,
       st.credits AS credits
ORDER BY period, customer
