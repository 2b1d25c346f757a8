// name: portfolio/audit/finish
// returns: write
// description: The last statement of an audited write, after store/bump_version: stamps the entry with the
//   graph version the write produced (the order of the trail) and links it to the services it concerns.
// param id: string
// param services: list<string>
MATCH (a:AuditEntry {id: $id})
MATCH (m:Meta {id: 'graph'})
SET a.version = m.version
WITH a
UNWIND $services AS sid
MATCH (s:Service {id: sid})
CREATE (a)-[:CONCERNS]->(s)
