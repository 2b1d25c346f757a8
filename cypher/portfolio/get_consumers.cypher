// name: portfolio/get_consumers
// returns: many
// description: The direct consumers of each service in $ids, with the edge's properties.
// param ids: list<string>
UNWIND $ids AS key
MATCH (c:Service)-[d:DEPENDS_ON]->(:Service {id: key})
RETURN key, c.id AS service, d.share AS share, d.redundancyGroup AS redundancyGroup, d.demandFactor AS demandFactor
ORDER BY key, service
