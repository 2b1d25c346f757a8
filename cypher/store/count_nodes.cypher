// name: store/count_nodes
// returns: scalar
// description: How many nodes the graph holds besides its own Meta node (what `demo --replace` replaces).
MATCH (n)
WHERE NOT (n:Meta AND n.id = 'graph')
RETURN count(n) AS nodes
