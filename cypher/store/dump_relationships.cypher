// name: store/dump_relationships
// returns: many
// columns: fromLabels, fromId, type, props, toLabels, toId
// description: Every relationship with its type and properties, its ends named by their labels and ids
//   (graph-itsm backup).
MATCH (a)-[r]->(b)
RETURN labels(a) AS fromLabels, a.id AS fromId, type(r) AS type, properties(r) AS props,
       labels(b) AS toLabels, b.id AS toId
