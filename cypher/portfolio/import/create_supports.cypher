// name: portfolio/import/create_supports
// returns: write
// param rows: list<map> each {outcome, objective}
// param audit: string
MATCH (:AuditEntry {id: $audit})
UNWIND $rows AS r
MATCH (x:BusinessOutcome {id: r.outcome})
MATCH (o:StrategicObjective {id: r.objective})
MERGE (x)-[:SUPPORTS]->(o)
