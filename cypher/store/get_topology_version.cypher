// name: store/get_topology_version
// returns: scalar
// The topology version, moved by every write that may change services, dependencies, subscriptions or
// outcome links, so that in-memory projections know when they are stale.
OPTIONAL MATCH (m:Meta {id: 'graph'})
RETURN coalesce(m.topologyVersion, 0) AS version
