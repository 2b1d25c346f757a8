// name: portfolio/audit/history_of_services
// returns: many
// description: The audit entries of each service in $ids, newest first.
// param ids: list<string>
UNWIND $ids AS key
MATCH (a:AuditEntry)-[:CONCERNS]->(:Service {id: key})
RETURN key, properties(a) AS entry
ORDER BY key, a.version DESC, a.at DESC, a.id DESC
