// name: portfolio/write/remove_subscription
// returns: write
// param audit: string
// param customer: string
// param service: string
MATCH (:AuditEntry {id: $audit})
MATCH (:Customer {id: $customer})-[x:SUBSCRIBES]->(:Service {id: $service})
DELETE x
