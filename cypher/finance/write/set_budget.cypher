// name: finance/write/set_budget
// returns: write
// description: Sets the budget of a service for one month (the id is `service:period`, as the importer makes it).
//   Runs only inside an audited write.
// param audit: string
// param id: string
// param service: string
// param period: string
// param amount: float
MATCH (:AuditEntry {id: $audit})
MATCH (s:Service {id: $service})
MERGE (b:Budget {id: $id})
SET b.period = $period, b.amount = $amount
MERGE (b)-[:FOR]->(s)
