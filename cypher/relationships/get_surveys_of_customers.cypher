// name: relationships/get_surveys_of_customers
// returns: many
// description: The satisfaction surveys of each customer in $ids, oldest period first.
// param ids: list<string>
UNWIND $ids AS key
MATCH (v:SatisfactionSurvey)-[:OF]->(:Customer {id: key})
RETURN key, v.period AS period, v.score AS score, v.comment AS comment
ORDER BY key, period
