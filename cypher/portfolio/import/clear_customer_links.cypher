// name: portfolio/import/clear_customer_links
// returns: write
// description: The document is authoritative for the subscriptions, pursued outcomes and manager of the customers it lists.
// param ids: list<string>
// param audit: string
MATCH (:AuditEntry {id: $audit})
UNWIND $ids AS id
MATCH (c:Customer {id: id})
OPTIONAL MATCH (c)-[r:SUBSCRIBES|PURSUES]->()
OPTIONAL MATCH (:RelationshipManager)-[m:MANAGES]->(c)
DELETE r, m
