// name: portfolio/export/allocations
// returns: many
MATCH (k:CostItem)-[a:ALLOCATED_TO]->(s:Service)
RETURN k.id AS item, s.id AS service, a.share AS share
ORDER BY item, service
