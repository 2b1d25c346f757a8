// name: finance/get_period_snapshot
// returns: one
// description: The stored figures of the closed month $period (null when it is open) and the graph version
//   they were stored at (which tells one closing from the next).
// columns: closedVersion, data
// param period: string
// param withData: bool
OPTIONAL MATCH (p:Period {id: $period})
OPTIONAL MATCH (s:PeriodSnapshot {id: $period})
RETURN CASE WHEN p.state = 'CLOSED' THEN s.closedVersion END AS closedVersion,
       CASE WHEN p.state = 'CLOSED' AND $withData THEN s.data END AS data
