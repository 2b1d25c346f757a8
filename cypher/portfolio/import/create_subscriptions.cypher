// name: portfolio/import/create_subscriptions
// returns: write
// param rows: list<map> each {customer, service, props}
// param audit: string
MATCH (:AuditEntry {id: $audit})
UNWIND $rows AS r
MATCH (c:Customer {id: r.customer})
MATCH (s:Service {id: r.service})
CREATE (c)-[x:SUBSCRIBES]->(s)
SET x += r.props
