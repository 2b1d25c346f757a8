// name: portfolio/list_services
// returns: many
// description: One page of services ordered by id, after the cursor id, with optional filters.
// param kind: string?
// param stage: string?
// param owner: string?
// param provider: string?
// param search: string?
// param after: string?
// param limit: int
MATCH (s:Service)
WHERE ($kind IS NULL OR s.kind = $kind)
  AND ($stage IS NULL OR s.stage = $stage)
  AND ($owner IS NULL OR s.owner = $owner)
  AND ($provider IS NULL OR coalesce(s.provider, 'INTERNAL') = $provider)
  AND ($search IS NULL OR toLower(s.name) CONTAINS $search OR toLower(coalesce(s.description, '')) CONTAINS $search)
  AND ($after IS NULL OR s.id > $after)
RETURN properties(s) AS service
ORDER BY s.id
LIMIT $limit
