// name: topology/services
// returns: many
// columns: id, kind, stage, name, redundancy, node
// description: node is the database's number for the node (id()): topology/dependencies names services by it.
MATCH (s:Service)
RETURN s.id AS id, s.kind AS kind, s.stage AS stage, s.name AS name, s.redundancy AS redundancy, id(s) AS node
