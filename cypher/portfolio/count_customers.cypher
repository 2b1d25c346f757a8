// name: portfolio/count_customers
// returns: scalar
MATCH (c:Customer)
RETURN count(c) AS total
