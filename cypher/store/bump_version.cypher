// name: store/bump_version
// returns: scalar
// description: Run as the last statement of an atomic write that changed the graph. It moves the graph version
//   (every cached read of the graph depends on it) and the topology version (the in-memory projection of
//   services, dependencies, subscriptions and outcome links depends on it). Writes that cannot touch the
//   topology (cost items, budgets, business cases, statements) use store/bump_data_version instead. It moves
//   nothing when the write's audit entry $audit was not made (the graph had moved: nothing else was written),
//   so that a refused attempt does not in turn invalidate the checks of every other writer.
// param audit: string
MATCH (a:AuditEntry {id: $audit})
MERGE (m:Meta {id: 'graph'})
SET m.version = coalesce(m.version, 0) + 1, m.topologyVersion = coalesce(m.topologyVersion, 0) + 1
RETURN m.version AS version
