// name: relationships/get_complaints_of_customers
// returns: many
// description: The complaints raised by each customer in $ids, oldest first.
// param ids: list<string>
UNWIND $ids AS key
MATCH (x:Complaint)-[:RAISED_BY]->(:Customer {id: key})
OPTIONAL MATCH (x)-[:ABOUT]->(s:Service)
RETURN key, properties(x) AS complaint, s.id AS service
ORDER BY key, x.opened, x.id
