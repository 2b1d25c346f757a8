// name: portfolio/count_outcomes
// returns: scalar
MATCH (o:BusinessOutcome)
RETURN count(o) AS total
