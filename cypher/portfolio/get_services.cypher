// name: portfolio/get_services
// returns: many
// param ids: list<string>
UNWIND $ids AS id
MATCH (s:Service {id: id})
RETURN properties(s) AS service
