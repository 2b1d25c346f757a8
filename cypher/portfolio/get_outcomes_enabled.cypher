// name: portfolio/get_outcomes_enabled
// returns: many
// param ids: list<string>
UNWIND $ids AS key
MATCH (:Service {id: key})-[:ENABLES]->(o:BusinessOutcome)
RETURN key, properties(o) AS outcome
ORDER BY key, o.id
