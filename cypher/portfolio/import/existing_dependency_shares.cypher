// name: portfolio/import/existing_dependency_shares
// returns: many
// description: The shares on the graph's DEPENDS_ON edges, for the document's provider share rule.
MATCH (c:Service)-[d:DEPENDS_ON]->(p:Service)
WHERE d.share IS NOT NULL
RETURN p.id AS provider, c.id AS consumer, d.share AS share
