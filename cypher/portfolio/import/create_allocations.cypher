// name: portfolio/import/create_allocations
// returns: write
// param rows: list<map> each {item, service, share}
// param audit: string
MATCH (:AuditEntry {id: $audit})
UNWIND $rows AS r
MATCH (k:CostItem {id: r.item})
MATCH (s:Service {id: r.service})
CREATE (k)-[a:ALLOCATED_TO]->(s)
SET a.share = r.share
