// name: portfolio/import/upsert_surveys
// returns: write
// param rows: list<map> each {id, customer, props}
// param audit: string
MATCH (:AuditEntry {id: $audit})
UNWIND $rows AS r
MATCH (c:Customer {id: r.customer})
MERGE (v:SatisfactionSurvey {id: r.id})
SET v += r.props
MERGE (v)-[:OF]->(c)
