// name: relationships/write/delete_survey
// returns: write
// description: Removes the satisfaction survey $id. Runs only inside an audited write.
// param audit: string
// param id: string
MATCH (:AuditEntry {id: $audit})
MATCH (v:SatisfactionSurvey {id: $id})
DETACH DELETE v
