// name: store/reset_meta
// returns: write
// After store/clear_graph: drop the graph's settings (currency, ...) and bump its versions.
MERGE (m:Meta {id: 'graph'})
WITH m, coalesce(m.version, 0) + 1 AS version, coalesce(m.topologyVersion, 0) + 1 AS topologyVersion
SET m = {id: 'graph', version: version, topologyVersion: topologyVersion}
RETURN m.version AS version
