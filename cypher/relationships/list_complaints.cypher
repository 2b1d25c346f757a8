// name: relationships/list_complaints
// returns: many
// description: Every complaint matching the filters (null: any), ordered by id, with the customer and service
//   it is about (a CLOSED complaint whose customer or service was deleted keeps their ids as properties).
// param customer: string?
// param service: string?
// param status: string?
MATCH (x:Complaint)
WHERE $status IS NULL OR x.status = $status
OPTIONAL MATCH (x)-[:RAISED_BY]->(c:Customer)
OPTIONAL MATCH (x)-[:ABOUT]->(s:Service)
WITH x, coalesce(c.id, x.customerId) AS customer, coalesce(s.id, x.serviceId) AS service
WHERE ($customer IS NULL OR customer = $customer) AND ($service IS NULL OR service = $service)
RETURN properties(x) AS complaint, customer, service
ORDER BY x.id
