// name: portfolio/write/delete_outcome
// returns: write
// description: Deletes a business outcome no service enables and no customer pursues.
// param audit: string
// param id: string
MATCH (:AuditEntry {id: $audit})
MATCH (o:BusinessOutcome {id: $id})
WITH o, size([(o)<-[:ENABLES|PURSUES]-() | 1]) AS references
WHERE references = 0
DETACH DELETE o
