// name: store/reset_meta
// returns: write
// After store/clear_graph: drop the graph's settings (currency, ...) and bump its version.
MERGE (m:Meta {id: 'graph'})
WITH m, coalesce(m.version, 0) + 1 AS version
SET m = {id: 'graph', version: version}
RETURN m.version AS version
