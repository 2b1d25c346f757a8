// name: analytics/find_dependency_cycles
// returns: many
// description: Dependency cycles: groups of services that depend on each other, directly or round a loop
// (strongly connected components of two or more services, found on the topology projection). Each row lists
// the members, the DEPENDS_ON edges between them (marked when their cost share is 0, which keeps cost
// allocation solvable) and whether only supporting services take part.
// columns: members, memberCount, edges, supportingOnly
// param cycles: list<map> = @projection:dependency_cycles -- {members}: the services of one cycle, sorted by id
UNWIND $cycles AS r
UNWIND r.members AS m
MATCH (a:Service {id: m})-[d:DEPENDS_ON]->(b:Service)
WHERE b.id IN r.members
WITH r, a, b, d
ORDER BY a.id, b.id
WITH r,
     collect(a.id + ' -> ' + b.id + CASE WHEN d.share = 0 THEN ' (share 0)' ELSE '' END) AS edges,
     collect(a.kind) AS kinds
RETURN r.members AS members, size(r.members) AS memberCount, edges,
       all(k IN kinds WHERE k = 'SUPPORTING') AS supportingOnly
ORDER BY memberCount DESC, members[0]
