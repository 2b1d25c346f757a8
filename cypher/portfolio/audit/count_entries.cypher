// name: portfolio/audit/count_entries
// returns: scalar
// description: How many audit entries match the filters of portfolio/audit/list_entries.
// param actor: string?
// param action: string?
// param entity: string?
// param since: string?
// param until: string?
MATCH (a:AuditEntry)
WHERE ($actor IS NULL OR a.actor = $actor)
  AND ($action IS NULL OR a.action = $action)
  AND ($entity IS NULL OR a.target = $entity OR a.target STARTS WITH ($entity + ':'))
  AND ($since IS NULL OR a.at >= $since)
  AND ($until IS NULL OR a.at < $until)
RETURN count(a) AS total
