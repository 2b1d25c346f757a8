// name: portfolio/import/existing_services
// returns: many
// description: Kind and stage of every service in the graph, for the document's subscription rules.
MATCH (s:Service)
RETURN s.id AS id, s.kind AS kind, s.stage AS stage
