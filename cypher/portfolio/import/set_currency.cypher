// name: portfolio/import/set_currency
// returns: write
// param currency: string
MERGE (m:Meta {id: 'graph'})
SET m.currency = $currency
