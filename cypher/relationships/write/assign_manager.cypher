// name: relationships/write/assign_manager
// returns: write
// description: Makes $manager the customer's only relationship manager: the manager is created or updated by id,
//   the customer's old MANAGES link goes (the old manager stays). Runs only inside an audited write.
// param audit: string
// param customer: string
// param manager: map each {id, name, email}
MATCH (:AuditEntry {id: $audit})
MATCH (c:Customer {id: $customer})
OPTIONAL MATCH (:RelationshipManager)-[old:MANAGES]->(c)
DELETE old
WITH DISTINCT c
MERGE (brm:RelationshipManager {id: $manager.id})
SET brm.name = $manager.name, brm.email = $manager.email
MERGE (brm)-[:MANAGES]->(c)
