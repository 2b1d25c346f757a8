// name: analytics/find_criticality_inversions
// returns: many
// description: Criticality inversions: a service at least `min_criticality` critical that depends directly on
// a less critical one (for example a criticality-5 service on a criticality-3 one). Neither side retired.
// A provider inside a redundancy group (`redundancyGroup` not null) is a milder case. Largest gap first.
// columns: consumer, consumerCriticality, provider, providerCriticality, redundancyGroup
// param min_criticality: int 1..5 = 5 -- consumers at least this critical are checked
MATCH (c:Service)-[d:DEPENDS_ON]->(p:Service)
WHERE c.criticality >= $min_criticality AND p.criticality < c.criticality
  AND c.stage <> 'RETIRED' AND p.stage <> 'RETIRED'
RETURN c.id AS consumer, c.criticality AS consumerCriticality, p.id AS provider,
       p.criticality AS providerCriticality, d.redundancyGroup AS redundancyGroup
ORDER BY consumerCriticality - providerCriticality DESC, consumer, provider
