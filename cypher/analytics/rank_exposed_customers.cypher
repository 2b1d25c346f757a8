// name: analytics/rank_exposed_customers
// returns: many
// description: Customers most exposed to single points of failure: for each customer, the supporting services
// whose failure alone takes at least one of the customer's subscribed services DOWN. Ranked by how many
// there are (`exposure`), then by customer id. Uses the same projection as find_single_points_of_failure.
// columns: customer, name, type, services, singlePointsOfFailure, exposure
// param impacted: list<map> = @projection:single_points_of_failure -- {service, down}: a supporting service and the customer-facing services DOWN when it alone fails
MATCH (c:Customer)
OPTIONAL MATCH (c)-[:SUBSCRIBES]->(s:Service)
WITH c, s
ORDER BY s.id
WITH c, collect(s.id) AS services
WITH c, services, [r IN $impacted WHERE any(x IN r.down WHERE x IN services) | r.service] AS spofs
RETURN c.id AS customer, c.name AS name, c.type AS type, services, spofs AS singlePointsOfFailure, size(spofs) AS exposure
ORDER BY exposure DESC, customer
