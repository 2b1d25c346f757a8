// name: finance/business_cases
// returns: many
// param ids: list<string>
UNWIND $ids AS key
MATCH (b:BusinessCase)-[:JUSTIFIES]->(:Service {id: key})
RETURN key, properties(b) AS businessCase
ORDER BY key, b.id
