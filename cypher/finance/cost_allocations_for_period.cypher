// name: finance/cost_allocations_for_period
// returns: many
// description: One row per allocation of each cost item of the month (service and share null for an item allocated nowhere); node and serviceNode are the node numbers (id()) of the item and the service, which numpy groups and maps without hashing a million id strings. $part of $parts (0 of 1: all): a large month is read in parts side by side, the items split by node number.
// columns: item, name, category, nature, amount, service, share, node, serviceNode
// param period: string
// param part: int
// param parts: int
MATCH (k:CostItem {period: $period})
WHERE id(k) % $parts = $part
OPTIONAL MATCH (k)-[a:ALLOCATED_TO]->(s:Service)
RETURN k.id AS item, k.name AS name, k.category AS category, k.nature AS nature, k.amount AS amount, s.id AS service, a.share AS share, id(k) AS node, id(s) AS serviceNode
