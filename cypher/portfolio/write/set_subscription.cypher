// name: portfolio/write/set_subscription
// returns: write
// description: Creates the subscription of $customer to $service, or sets its properties if it exists.
// param audit: string
// param customer: string
// param service: string
// param props: map each {since, share, units, specialBusinessCase}
MATCH (:AuditEntry {id: $audit})
MATCH (c:Customer {id: $customer})
MATCH (s:Service {id: $service})
WHERE s.kind = 'CUSTOMER_FACING'
MERGE (c)-[x:SUBSCRIBES]->(s)
SET x = $props
