// name: store/bump_data_version
// returns: scalar
// description: The last statement of a write that changed the graph but not its topology: it moves the graph
//   version only, so the in-memory projection of the topology stays valid. Like store/bump_version, only when
//   the write's audit entry $audit was made.
// param audit: string
MATCH (a:AuditEntry {id: $audit})
MERGE (m:Meta {id: 'graph'})
SET m.version = coalesce(m.version, 0) + 1
RETURN m.version AS version
