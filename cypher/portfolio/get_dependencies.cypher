// name: portfolio/get_dependencies
// returns: many
// description: The direct providers of each service in $ids, with the edge's properties.
// param ids: list<string>
UNWIND $ids AS key
MATCH (:Service {id: key})-[d:DEPENDS_ON]->(p:Service)
RETURN key, p.id AS service, d.share AS share, d.redundancyGroup AS redundancyGroup, d.demandFactor AS demandFactor
ORDER BY key, service
