// name: portfolio/get_enabling_services
// returns: many
// param ids: list<string>
UNWIND $ids AS key
MATCH (s:Service)-[:ENABLES]->(:BusinessOutcome {id: key})
RETURN key, properties(s) AS service
ORDER BY key, s.id
