// name: portfolio/import/create_serves
// returns: write
// param rows: list<map> each {service, objective}
// param audit: string
MATCH (:AuditEntry {id: $audit})
UNWIND $rows AS r
MATCH (s:Service {id: r.service})
MATCH (o:StrategicObjective {id: r.objective})
MERGE (s)-[:SERVES]->(o)
