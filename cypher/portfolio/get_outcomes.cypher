// name: portfolio/get_outcomes
// returns: many
// param ids: list<string>
UNWIND $ids AS id
MATCH (o:BusinessOutcome {id: id})
RETURN properties(o) AS outcome
