// name: store/bump_version
// returns: scalar
// Run as the last statement of an atomic write that changed the graph.
MERGE (m:Meta {id: 'graph'})
SET m.version = coalesce(m.version, 0) + 1
RETURN m.version AS version
