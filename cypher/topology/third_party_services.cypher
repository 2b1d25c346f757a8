// name: topology/third_party_services
// returns: many
// description: Services bought from a supplier, for the analytics projections (grouped by supplier in Python).
// columns: id, supplier
MATCH (s:Service {provider: 'THIRD_PARTY'})
RETURN s.id AS id, s.supplier AS supplier
ORDER BY id
