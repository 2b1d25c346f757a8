// name: portfolio/import/set_currency
// returns: write
// param currency: string
// param audit: string
MATCH (:AuditEntry {id: $audit})
MERGE (m:Meta {id: 'graph'})
SET m.currency = $currency
