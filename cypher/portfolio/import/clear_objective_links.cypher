// name: portfolio/import/clear_objective_links
// returns: write
// description: The document is authoritative for the outcomes supporting the objectives it lists.
// param ids: list<string>
// param audit: string
MATCH (:AuditEntry {id: $audit})
UNWIND $ids AS id
MATCH (:BusinessOutcome)-[r:SUPPORTS]->(:StrategicObjective {id: id})
DELETE r
