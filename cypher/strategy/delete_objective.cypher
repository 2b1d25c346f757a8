// name: strategy/delete_objective
// returns: write
// description: Deletes a strategic objective with its SERVES and SUPPORTS links.
// param audit: string
// param id: string
MATCH (:AuditEntry {id: $audit})
MATCH (o:StrategicObjective {id: $id})
DETACH DELETE o
