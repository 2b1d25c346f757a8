// name: topology/services
// returns: many
// columns: id, kind, stage, name, redundancy
MATCH (s:Service)
RETURN s.id AS id, s.kind AS kind, s.stage AS stage, s.name AS name, s.redundancy AS redundancy
