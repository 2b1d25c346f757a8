// name: portfolio/import/upsert_cost_items
// returns: write
// description: Upserts cost items and replaces their allocations.
// param rows: list<map> each {id, props}
// param audit: string
MATCH (:AuditEntry {id: $audit})
UNWIND $rows AS r
MERGE (k:CostItem {id: r.id})
SET k += r.props
WITH k
OPTIONAL MATCH (k)-[a:ALLOCATED_TO]->()
DELETE a
