// name: store/begin_restore
// returns: write
// description: The first statement of a restore: it takes the Meta lock (as portfolio/audit/begin does, so a
//   concurrent audited write waits or sees the restore) and, only if the graph holds nothing besides its Meta
//   node, creates the marker $guard that every later statement of the restore starts from. A graph written to
//   after the emptiness was checked gets no marker, and the restore writes nothing.
// param guard: string
MERGE (m:Meta {id: 'graph'})
SET m.writeLock = true
WITH m
SET m.writeLock = null
WITH count(*) AS locked
OPTIONAL MATCH (n)
WHERE NOT (n:Meta AND n.id = 'graph')
WITH n
LIMIT 1
WITH n
WHERE n IS NULL
CREATE (:RestoreGuard {id: $guard})
