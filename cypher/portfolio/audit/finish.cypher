// name: portfolio/audit/finish
// returns: one
// description: The last statement of an audited write, after store/bump_version: stamps the entry with the
//   graph version the write produced (the order of the trail), links it to the services it concerns, and
//   returns its id, or no row when audit/begin found the graph moved and made no entry (nothing was written).
// param id: string
// param services: list<string>
MATCH (a:AuditEntry {id: $id})
MATCH (m:Meta {id: 'graph'})
SET a.version = m.version
WITH a
UNWIND $services AS sid
MATCH (s:Service {id: sid})
CREATE (a)-[:CONCERNS]->(s)
WITH count(*) AS linked
MATCH (done:AuditEntry {id: $id})
RETURN done.id AS id
