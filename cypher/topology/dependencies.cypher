// name: topology/dependencies
// returns: many
// columns: consumer, provider, share, redundancyGroup, demandFactor
// description: consumer and provider by node number (the node of topology/services): integers, which numpy maps to services in one step where 4 million id strings took seconds to look up.
MATCH (c:Service)-[d:DEPENDS_ON]->(p:Service)
RETURN id(c) AS consumer, id(p) AS provider, d.share AS share, d.redundancyGroup AS redundancyGroup, d.demandFactor AS demandFactor
