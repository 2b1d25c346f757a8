// name: portfolio/get_outcomes_pursued
// returns: many
// param ids: list<string>
UNWIND $ids AS key
MATCH (:Customer {id: key})-[:PURSUES]->(o:BusinessOutcome)
RETURN key, properties(o) AS outcome
ORDER BY key, o.id
