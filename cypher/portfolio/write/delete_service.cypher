// name: portfolio/write/delete_service
// returns: write
// description: Deletes a service with its own outgoing DEPENDS_ON and ENABLES edges, but never one that
//   something still refers to (consumers, subscribers, cost items, budgets, business cases, complaints).
// param audit: string
// param id: string
MATCH (:AuditEntry {id: $audit})
MATCH (s:Service {id: $id})
WITH s, size([(s)<-[:DEPENDS_ON|SUBSCRIBES|ALLOCATED_TO|FOR|JUSTIFIES|ABOUT]-() | 1]) AS references
WHERE references = 0
DETACH DELETE s
