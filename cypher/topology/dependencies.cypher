// name: topology/dependencies
// returns: many
// columns: consumer, provider, share, redundancyGroup, demandFactor
MATCH (c:Service)-[d:DEPENDS_ON]->(p:Service)
RETURN c.id AS consumer, p.id AS provider, d.share AS share, d.redundancyGroup AS redundancyGroup, d.demandFactor AS demandFactor
