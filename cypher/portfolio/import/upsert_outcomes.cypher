// name: portfolio/import/upsert_outcomes
// returns: write
// param rows: list<map> each {id, props}
// param audit: string
MATCH (:AuditEntry {id: $audit})
UNWIND $rows AS r
MERGE (o:BusinessOutcome {id: r.id})
SET o += r.props
