// name: portfolio/import/upsert_customers
// returns: write
// param rows: list<map> each {id, props}
// param audit: string
MATCH (:AuditEntry {id: $audit})
UNWIND $rows AS r
MERGE (c:Customer {id: r.id})
SET c += r.props
