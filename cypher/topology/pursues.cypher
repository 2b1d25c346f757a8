// name: topology/pursues
// returns: many
MATCH (c:Customer)-[:PURSUES]->(o:BusinessOutcome)
RETURN c.id AS customer, o.id AS outcome
