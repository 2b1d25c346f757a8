// name: analytics/rank_supplier_concentration
// returns: many
// description: Third-party concentration: for each supplier, the live (catalogue) customer-facing services
// that depend on its services, directly or further down (`dependents`), their share of all live
// customer-facing services, and those that go DOWN if every service of that supplier fails (`takesDown`).
// Ranked by share, then by supplier. Reachability and DOWN sets come from the impact engine on the
// topology projection.
// columns: supplier, services, dependents, share, takesDown
// param suppliers: list<map> = @projection:supplier_impact -- {supplier, services, impacted, down}: each supplier's services and the customer-facing services impacted and DOWN when they all fail
MATCH (cf:Service {kind: 'CUSTOMER_FACING', stage: 'CATALOGUE'})
WITH collect(cf.id) AS live
UNWIND $suppliers AS r
WITH r, live, [x IN r.impacted WHERE x IN live] AS dependents, [x IN r.down WHERE x IN live] AS takesDown
RETURN r.supplier AS supplier, r.services AS services, dependents,
       CASE size(live) WHEN 0 THEN 0.0 ELSE round(10000.0 * size(dependents) / size(live)) / 10000.0 END AS share,
       takesDown
ORDER BY share DESC, supplier
