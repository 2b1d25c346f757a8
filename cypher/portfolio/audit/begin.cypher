// name: portfolio/audit/begin
// returns: one
// description: The first statement of every audited write. It locks the graph's Meta node (the SET takes the
//   write lock, as Neo4j's lost-update idiom does), checks that the graph is still at $version, the version the
//   rule checks read, and only then creates the audit entry. Every later statement of the write starts from
//   that entry, so when the graph moved in between nothing else is written and the caller checks again.
//   A null $version skips the check (the importer validates the whole document instead).
// param version: int?
// param entry: map each {id, at, actor, action, target, before, after}
MERGE (m:Meta {id: 'graph'})
SET m.writeLock = true
WITH m, coalesce(m.version, 0) AS current
SET m.writeLock = null
WITH current
WHERE $version IS NULL OR current = $version
CREATE (a:AuditEntry)
SET a += $entry
RETURN a.id AS id
