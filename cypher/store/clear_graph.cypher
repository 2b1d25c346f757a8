// name: store/clear_graph
// returns: write
// Delete every node and relationship except the graph's Meta node, which keeps the version counter, and the API
// tokens (access control outlives a replaced portfolio):
// run with store/reset_meta in one atomic write, so a projection cached before the clear never matches again.
MATCH (n)
WHERE NOT (n:Meta AND n.id = 'graph') AND NOT n:ApiToken
DETACH DELETE n
