// name: store/restore_nodes
// returns: write
// description: One batch of nodes of one label set (graph-itsm restore). `:__LABELS__` is replaced in code by
//   the batch's labels, each checked to be a plain identifier (graph_itsm/store/backup.py); values travel as
//   parameters.
//   The graph's own Meta node goes through store/restore_meta instead.
// param rows: list<map> each {props}
// param guard: string -- the marker store/begin_restore made (nothing is written without it)
MATCH (:RestoreGuard {id: $guard})
UNWIND $rows AS r
CREATE (n:__LABELS__)
SET n = r.props
