// name: strategy/services
// returns: many
// description: Every service with its investment category and how many objectives it serves and outcomes it enables.
MATCH (s:Service)
RETURN s.id AS id, s.name AS name, s.kind AS kind, s.stage AS stage, s.investmentCategory AS category,
       size([(s)-[:SERVES]->(:StrategicObjective) | 1]) AS serves, size([(s)-[:ENABLES]->(:BusinessOutcome) | 1]) AS enables
ORDER BY id
