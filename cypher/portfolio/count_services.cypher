// name: portfolio/count_services
// returns: scalar
// param kind: string?
// param stage: string?
// param owner: string?
// param provider: string?
// param search: string?
MATCH (s:Service)
WHERE ($kind IS NULL OR s.kind = $kind)
  AND ($stage IS NULL OR s.stage = $stage)
  AND ($owner IS NULL OR s.owner = $owner)
  AND ($provider IS NULL OR coalesce(s.provider, 'INTERNAL') = $provider)
  AND ($search IS NULL OR toLower(s.name) CONTAINS $search OR toLower(coalesce(s.description, '')) CONTAINS $search)
RETURN count(s) AS total
