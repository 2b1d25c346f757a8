// name: store/get_meta
// returns: one
OPTIONAL MATCH (m:Meta {id: 'graph'})
RETURN coalesce(m.version, 0) AS version, m.currency AS currency
