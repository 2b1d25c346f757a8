// name: portfolio/write/delete_service
// returns: write
// description: Deletes a service with its own outgoing DEPENDS_ON and ENABLES edges, but never one that
//   something still refers to (consumers, subscribers, cost items, budgets, business cases, complaints not yet
//   CLOSED). A CLOSED complaint about it stays, keeping the id of the service as `serviceId`.
// param audit: string
// param id: string
MATCH (:AuditEntry {id: $audit})
MATCH (s:Service {id: $id})
WITH s, size([(s)<-[:DEPENDS_ON|SUBSCRIBES|ALLOCATED_TO|FOR|JUSTIFIES]-() | 1])
  + size([(cp:Complaint)-[:ABOUT]->(s) WHERE cp.status <> 'CLOSED' | 1]) AS references
WHERE references = 0
OPTIONAL MATCH (closed:Complaint)-[:ABOUT]->(s)
SET closed.serviceId = s.id
WITH DISTINCT s
DETACH DELETE s
