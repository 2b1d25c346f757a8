// name: portfolio/import/upsert_managers
// returns: write
// param rows: list<map> each {customer, id, props}
UNWIND $rows AS r
MERGE (m:RelationshipManager {id: r.id})
SET m += r.props
WITH m, r
MATCH (c:Customer {id: r.customer})
MERGE (m)-[:MANAGES]->(c)
