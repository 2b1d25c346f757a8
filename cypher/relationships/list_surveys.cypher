// name: relationships/list_surveys
// returns: many
// description: Every satisfaction survey matching the filters (null: any), months $from to $to inclusive,
//   ordered by id (customer:period), with the customer it belongs to.
// columns: id, customer, period, score, comment
// param customer: string?
// param from: string?
// param to: string?
MATCH (v:SatisfactionSurvey)-[:OF]->(c:Customer)
WHERE ($customer IS NULL OR c.id = $customer)
  AND ($from IS NULL OR v.period >= $from) AND ($to IS NULL OR v.period <= $to)
RETURN v.id AS id, c.id AS customer, v.period AS period, v.score AS score, v.comment AS comment
ORDER BY id
