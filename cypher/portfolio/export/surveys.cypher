// name: portfolio/export/surveys
// returns: many
MATCH (v:SatisfactionSurvey)-[:OF]->(c:Customer)
RETURN c.id AS customer, properties(v) AS props
ORDER BY customer, v.period
