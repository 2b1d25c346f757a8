// name: store/restore_relationships
// returns: write
// description: One batch of relationships of one (from labels, type, to labels) group (graph-itsm restore).
//   `:__FROM__`, `:__TYPE__` and `:__TO__` are replaced in code by identifiers checked in
//   graph_itsm/store/backup.py, which also checks beforehand that every end is a node of the backup, so no
//   MATCH here misses.
// param rows: list<map> each {from, to, props}
// param guard: string -- the marker store/begin_restore made (nothing is written without it)
MATCH (:RestoreGuard {id: $guard})
UNWIND $rows AS r
MATCH (a:__FROM__ {id: r.from})
MATCH (b:__TO__ {id: r.to})
CREATE (a)-[x:__TYPE__]->(b)
SET x = r.props
