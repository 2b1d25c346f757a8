// name: analytics/find_single_points_of_failure
// returns: many
// description: Single points of failure: supporting services whose failure alone takes at least one live
// (catalogue) customer-facing service DOWN, because no redundancy group covers them on some path.
// Ranked by how many live customer-facing services go down, then by id; `customers` counts the distinct
// subscribers of those services. Which services go down comes from the topology projection (the impact
// engine's DOWN fixpoint for each supporting service), never from path enumeration.
// columns: service, name, owner, criticality, takesDown, customers
// param impacted: list<map> = @projection:single_points_of_failure -- {service, down, customers}: a supporting service, the live customer-facing services DOWN when it alone fails, and their subscribers
UNWIND $impacted AS r
MATCH (s:Service {id: r.service})
RETURN s.id AS service, s.name AS name, s.owner AS owner, s.criticality AS criticality, r.down AS takesDown,
       size(r.customers) AS customers
ORDER BY size(takesDown) DESC, service
