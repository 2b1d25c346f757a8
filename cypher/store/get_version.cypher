// name: store/get_version
// returns: scalar
// The graph version, bumped by every write, so that in-memory projections know when they are stale.
OPTIONAL MATCH (m:Meta {id: 'graph'})
RETURN coalesce(m.version, 0) AS version
