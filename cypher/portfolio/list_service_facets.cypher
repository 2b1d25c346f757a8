// name: portfolio/list_service_facets
// returns: many
// description: What service lists filter on, for every service (the in-memory service index, built once per
//   topology version): id, kind, stage, owner, provider (INTERNAL when unset) and lower-cased name and description.
MATCH (s:Service)
RETURN s.id AS id, s.kind AS kind, s.stage AS stage, s.owner AS owner, coalesce(s.provider, 'INTERNAL') AS provider,
       toLower(coalesce(s.name, '')) AS name, toLower(coalesce(s.description, '')) AS description
