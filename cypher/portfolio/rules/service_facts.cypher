// name: portfolio/rules/service_facts
// returns: many
// description: What the portfolio rules need to know about each service in $ids, in one round trip, with the
//   graph version the answer reflects (portfolio/audit/begin checks it at write time). One row per id;
//   `service` is null where no service has the id.
// param ids: list<string>
OPTIONAL MATCH (m:Meta {id: 'graph'})
WITH coalesce(m.version, 0) AS version
UNWIND $ids AS key
OPTIONAL MATCH (s:Service {id: key})
RETURN key, version, properties(s) AS service,
  [(c:Service)-[cd:DEPENDS_ON]->(s) | {id: c.id, stage: c.stage, share: cd.share, redundancyGroup: cd.redundancyGroup, demandFactor: cd.demandFactor}] AS consumers,
  [(s)-[pd:DEPENDS_ON]->(p:Service) | {id: p.id, stage: p.stage, share: pd.share, redundancyGroup: pd.redundancyGroup, demandFactor: pd.demandFactor}] AS providers,
  [(cu:Customer)-[sub:SUBSCRIBES]->(s) | {customer: cu.id, props: properties(sub)}] AS subscriptions,
  [(s)-[:ENABLES]->(o:BusinessOutcome) | o.id] AS outcomes,
  [(k:CostItem)-[:ALLOCATED_TO]->(s) | k.id] AS costItems,
  [(b:Budget)-[:FOR]->(s) | b.id] AS budgets,
  [(j:BusinessCase)-[:JUSTIFIES]->(s) | j.id] AS businessCases,
  [(cp:Complaint)-[:ABOUT]->(s) WHERE cp.status <> 'CLOSED' | cp.id] AS complaints
