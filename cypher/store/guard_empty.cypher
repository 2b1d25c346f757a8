// name: store/guard_empty
// returns: write
// description: Inside an audited write that must land in an empty database only (the demo): right after
//   portfolio/audit/begin (which holds the Meta lock), if the graph holds anything besides its Meta node and
//   this write's own entry, the entry is removed again, so every later step of the write does nothing and
//   audit/finish returns no row. The check and the write are one transaction.
// param audit: string
MATCH (a:AuditEntry {id: $audit})
OPTIONAL MATCH (n)
WHERE NOT (n:Meta AND n.id = 'graph') AND NOT (n:AuditEntry AND n.id = $audit)
WITH a, n
LIMIT 1
WITH a, n
WHERE n IS NOT NULL
DETACH DELETE a
