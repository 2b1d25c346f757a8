// name: portfolio/audit/list_entries
// returns: many
// description: Audit entries of every kind, newest first (by the graph version each write produced), filtered
//   by actor, action, entity (a target such as service:web-shop, or a target kind such as complaint) and time
//   (ISO 8601 UTC text, from inclusive, to exclusive); $before pages on (versions below it), at most $limit rows.
// param actor: string?
// param action: string?
// param entity: string?
// param since: string?
// param until: string?
// param before: int?
// param limit: int
MATCH (a:AuditEntry)
WHERE ($actor IS NULL OR a.actor = $actor)
  AND ($action IS NULL OR a.action = $action)
  AND ($entity IS NULL OR a.target = $entity OR a.target STARTS WITH ($entity + ':'))
  AND ($since IS NULL OR a.at >= $since)
  AND ($until IS NULL OR a.at < $until)
  AND ($before IS NULL OR a.version < $before)
RETURN properties(a) AS entry
ORDER BY a.version DESC, a.id DESC
LIMIT $limit
