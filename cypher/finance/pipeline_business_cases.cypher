// name: finance/pipeline_business_cases
// returns: many
MATCH (b:BusinessCase)-[:JUSTIFIES]->(s:Service {stage: 'PIPELINE'})
RETURN s.id AS service, properties(b) AS businessCase
