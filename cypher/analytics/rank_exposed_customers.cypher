// name: analytics/rank_exposed_customers
// returns: many
// description: Customers most exposed to single points of failure: for each customer, the supporting services
// whose failure alone takes at least one of the customer's live subscribed services DOWN. Ranked by how many
// there are (`exposure`), then by customer id. Built on the projection of find_single_points_of_failure.
// columns: customer, name, type, services, singlePointsOfFailure, exposure
// param exposure: list<map> = @projection:customer_exposure -- {customer, singlePointsOfFailure}: each customer with at least one single point of failure, and those services
MATCH (c:Customer)
OPTIONAL MATCH (c)-[:SUBSCRIBES]->(s:Service)
WITH c, s
ORDER BY s.id
WITH c, collect(s.id) AS services
WITH c, services, [r IN $exposure WHERE r.customer = c.id | r.singlePointsOfFailure] AS found
WITH c, services, CASE WHEN size(found) = 0 THEN [] ELSE found[0] END AS spofs
RETURN c.id AS customer, c.name AS name, c.type AS type, services, spofs AS singlePointsOfFailure,
       size(spofs) AS exposure
ORDER BY exposure DESC, customer
