// name: analytics/rank_supplier_concentration
// returns: many
// description: Third-party concentration: for each supplier, the live (catalogue) customer-facing services
// that depend on its services, directly or further down (`dependents`), their share of all live
// customer-facing services, and those that go DOWN if every service of that supplier fails (`takesDown`).
// Ranked by share, then by supplier. Reachability and DOWN sets come from the impact engine on the
// topology projection.
// columns: supplier, services, dependents, share, takesDown
// param suppliers: list<map> = @projection:supplier_impact -- {supplier, services, impacted, down}: each supplier's services and the live customer-facing services impacted and DOWN when they all fail
MATCH (cf:Service {kind: 'CUSTOMER_FACING', stage: 'CATALOGUE'})
WITH count(cf) AS live
UNWIND $suppliers AS r
RETURN r.supplier AS supplier, r.services AS services, r.impacted AS dependents,
       CASE live WHEN 0 THEN 0.0 ELSE round(10000.0 * size(r.impacted) / live) / 10000.0 END AS share,
       r.down AS takesDown
ORDER BY share DESC, supplier
