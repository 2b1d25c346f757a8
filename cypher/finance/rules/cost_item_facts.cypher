// name: finance/rules/cost_item_facts
// returns: one
// description: What a cost item write checks, in one round trip: the graph version and currency, which of
//   $services exist, and the cost item $id as it is (null when there is none) with its allocations.
// columns: version, currency, known, item, allocations
// param id: string
// param services: list<string>
OPTIONAL MATCH (m:Meta {id: 'graph'})
WITH coalesce(m.version, 0) AS version, m.currency AS currency
OPTIONAL MATCH (s:Service)
WHERE s.id IN $services
WITH version, currency, collect(s.id) AS known
OPTIONAL MATCH (k:CostItem {id: $id})
OPTIONAL MATCH (k)-[a:ALLOCATED_TO]->(t:Service)
RETURN version, currency, known, properties(k) AS item, collect({service: t.id, share: a.share}) AS allocations
