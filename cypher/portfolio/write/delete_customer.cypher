// name: portfolio/write/delete_customer
// returns: write
// description: Deletes a customer with its pursued outcomes and its manager assignment (the manager stays),
//   but never one with subscriptions, surveys or complaints.
// param audit: string
// param id: string
MATCH (:AuditEntry {id: $audit})
MATCH (c:Customer {id: $id})
WITH c, size([(c)-[:SUBSCRIBES]->() | 1]) + size([(c)<-[:OF|RAISED_BY]-() | 1]) AS references
WHERE references = 0
DETACH DELETE c
