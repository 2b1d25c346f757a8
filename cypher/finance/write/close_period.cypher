// name: finance/write/close_period
// returns: write
// description: Marks the month $period closed and stores its figures beside it (one PeriodSnapshot per month,
//   replaced when the month is closed again after a reopening). Runs only inside an audited write.
// param audit: string
// param period: string
// param closedAt: string
// param closedBy: string
// param version: int
// param data: string
MATCH (:AuditEntry {id: $audit})
MERGE (p:Period {id: $period})
SET p.state = 'CLOSED', p.closedAt = $closedAt, p.closedBy = $closedBy
MERGE (s:PeriodSnapshot {id: $period})
SET s.closedVersion = $version, s.closedAt = $closedAt, s.data = $data
