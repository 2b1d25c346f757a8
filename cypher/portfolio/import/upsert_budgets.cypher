// name: portfolio/import/upsert_budgets
// returns: write
// param rows: list<map> each {id, service, props}
// param audit: string
MATCH (:AuditEntry {id: $audit})
UNWIND $rows AS r
MATCH (s:Service {id: r.service})
MERGE (b:Budget {id: r.id})
SET b += r.props
MERGE (b)-[:FOR]->(s)
