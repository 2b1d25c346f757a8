// name: store/finish_restore
// returns: one
// description: The last statement of a restore: removes the marker store/begin_restore made and returns its
//   id, or no row when there was none (the graph was not empty, and nothing was written).
// columns: id
// param guard: string
MATCH (g:RestoreGuard {id: $guard})
WITH g, g.id AS id
DELETE g
RETURN id
