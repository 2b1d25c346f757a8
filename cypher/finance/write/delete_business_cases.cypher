// name: finance/write/delete_business_cases
// returns: write
// description: Withdraws the business case(s) of service $service. Runs only inside an audited write.
// param audit: string
// param service: string
MATCH (:AuditEntry {id: $audit})
MATCH (j:BusinessCase)-[:JUSTIFIES]->(:Service {id: $service})
DETACH DELETE j
