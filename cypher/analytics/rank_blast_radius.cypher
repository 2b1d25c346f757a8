// name: analytics/rank_blast_radius
// returns: many
// description: Blast radius: the services whose failure alone impacts the most, with the figures of an
// impact analysis of that one failure (the failed service included): services impacted (DOWN or DEGRADED),
// DOWN, customer-facing services, business outcomes and customers impacted. Ranked by services impacted,
// then by id. The figures come from the impact engine run on the topology projection for every service.
// columns: service, name, kind, impactedServices, down, customerFacing, outcomes, customers
// param radius: list<map> = @projection:blast_radius -- {service, services, down, customerFacing, outcomes, customers}: the impact counts of each service failing alone
// param top: int 1..10000 = 10 -- how many services to list
UNWIND $radius AS r
MATCH (s:Service {id: r.service})
RETURN s.id AS service, s.name AS name, s.kind AS kind, r.services AS impactedServices, r.down AS down,
       r.customerFacing AS customerFacing, r.outcomes AS outcomes, r.customers AS customers
ORDER BY impactedServices DESC, service
LIMIT $top
