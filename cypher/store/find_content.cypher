// name: store/find_content
// returns: scalar
// description: Whether the graph holds anything besides its own Meta node (version counters, settings): the
//   test of an "empty database" for the demo, restore and the just-created note. Stops at the first node.
MATCH (n)
WHERE NOT (n:Meta AND n.id = 'graph')
WITH n LIMIT 1
RETURN count(n) > 0 AS found
