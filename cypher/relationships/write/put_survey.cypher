// name: relationships/write/put_survey
// returns: write
// description: Records the customer's survey of one month (the id is `customer:period`, as the importer makes
//   it); a second one for the month replaces it. Runs only inside an audited write.
// param audit: string
// param id: string
// param customer: string
// param props: map
MATCH (:AuditEntry {id: $audit})
MATCH (c:Customer {id: $customer})
MERGE (v:SatisfactionSurvey {id: $id})
SET v += $props
MERGE (v)-[:OF]->(c)
