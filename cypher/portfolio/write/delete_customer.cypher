// name: portfolio/write/delete_customer
// returns: write
// description: Deletes a customer with its pursued outcomes and its manager assignment (the manager stays),
//   but never one with subscriptions, surveys or complaints not yet CLOSED. A CLOSED complaint it raised stays,
//   keeping the id of the customer as `customerId`.
// param audit: string
// param id: string
MATCH (:AuditEntry {id: $audit})
MATCH (c:Customer {id: $id})
WITH c, size([(c)-[:SUBSCRIBES]->() | 1]) + size([(c)<-[:OF]-() | 1])
  + size([(cp:Complaint)-[:RAISED_BY]->(c) WHERE cp.status <> 'CLOSED' | 1]) AS references
WHERE references = 0
OPTIONAL MATCH (closed:Complaint)-[:RAISED_BY]->(c)
SET closed.customerId = c.id
WITH DISTINCT c
DETACH DELETE c
