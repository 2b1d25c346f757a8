// name: portfolio/import/upsert_objectives
// returns: write
// description: Every property key is present in props (null removes a property), so importing twice gives the same node.
// param rows: list<map> each {id, props}
// param audit: string
MATCH (:AuditEntry {id: $audit})
UNWIND $rows AS r
MERGE (o:StrategicObjective {id: r.id})
SET o += r.props
