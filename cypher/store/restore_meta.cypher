// name: store/restore_meta
// returns: write
// description: The graph's Meta node as the backup holds it (its versions and settings), replacing the one
//   every empty database has (graph-itsm restore).
// param props: map
MERGE (m:Meta {id: 'graph'})
SET m = $props
