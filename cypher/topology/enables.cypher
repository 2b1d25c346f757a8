// name: topology/enables
// returns: many
MATCH (s:Service)-[:ENABLES]->(o:BusinessOutcome)
RETURN s.id AS service, o.id AS outcome
