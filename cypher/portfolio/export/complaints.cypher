// name: portfolio/export/complaints
// returns: many
MATCH (x:Complaint)-[:RAISED_BY]->(c:Customer)
OPTIONAL MATCH (x)-[:ABOUT]->(s:Service)
RETURN c.id AS customer, s.id AS service, properties(x) AS props
ORDER BY x.id
