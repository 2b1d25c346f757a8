// name: store/restore_meta
// returns: write
// description: The graph's Meta node as the backup holds it (its versions and settings), replacing the one
//   every empty database has (graph-itsm restore).
// param props: map
// param guard: string -- the marker store/begin_restore made (nothing is written without it)
MATCH (:RestoreGuard {id: $guard})
MERGE (m:Meta {id: 'graph'})
SET m = $props
