// name: store/dump_nodes
// returns: many
// columns: labels, props
// description: Every node of the graph with all its labels and properties (graph-itsm backup), whatever its
//   label, so labels added later are carried without a change here.
MATCH (n)
RETURN labels(n) AS labels, properties(n) AS props
