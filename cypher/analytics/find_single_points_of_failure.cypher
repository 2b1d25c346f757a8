// name: analytics/find_single_points_of_failure
// returns: many
// description: Single points of failure: supporting services whose failure alone takes at least one live
// (catalogue) customer-facing service DOWN, because no redundancy group covers them on some path, or the
// group that does needs more of its members up than are left (k of n: a three-node cluster that needs two
// survives one failure, not two in a row below it). `takesDown` counts those customer-facing services,
// `examples` names the first five by id, `customers` counts their distinct subscribers. Ranked by
// `takesDown`, then by id. Which services go down comes from the topology projection (the DOWN fixpoint of
// every supporting service at once, as bit rows), never from path enumeration.
// columns: service, name, owner, criticality, takesDown, examples, customers
// param impacted: list<map> = @projection:single_points_of_failure_summary -- {service, down, examples, customers}: a supporting service, how many live customer-facing services go DOWN when it alone fails, the first five of them and how many subscribers they have
UNWIND $impacted AS r
MATCH (s:Service {id: r.service})
RETURN s.id AS service, s.name AS name, s.owner AS owner, s.criticality AS criticality, r.down AS takesDown,
       r.examples AS examples, r.customers AS customers
ORDER BY takesDown DESC, service
