// name: portfolio/import/existing_ids
// returns: many
// description: The ids already in the graph, by label, so a document may refer to them.
MATCH (n)
WHERE n:Service OR n:BusinessOutcome OR n:Customer OR n:CostItem OR n:StrategicObjective
RETURN labels(n)[0] AS label, collect(n.id) AS ids
