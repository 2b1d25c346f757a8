// name: finance/customers_for_closing
// returns: one
// description: Every customer id, the customers whose statement of $period was issued already, and the
//   portfolio currency: what closing the month needs to issue the statements not yet issued.
// columns: customers, issued, currency
// param period: string
OPTIONAL MATCH (m:Meta {id: 'graph'})
OPTIONAL MATCH (c:Customer)
WITH m, collect(c.id) AS customers
OPTIONAL MATCH (st:ChargeStatement {period: $period})
RETURN customers, collect(st.customer) AS issued, m.currency AS currency
