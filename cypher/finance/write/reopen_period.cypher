// name: finance/write/reopen_period
// returns: write
// description: Opens the closed month $period again: its stored figures go (reports are live again), its
//   closing record keeps who reopened it, when and why. Runs only inside an audited write.
// param audit: string
// param period: string
// param reopenedAt: string
// param reopenedBy: string
// param reason: string
MATCH (:AuditEntry {id: $audit})
MATCH (p:Period {id: $period})
SET p.state = 'OPEN', p.reopenedAt = $reopenedAt, p.reopenedBy = $reopenedBy, p.reopenReason = $reason
WITH p
OPTIONAL MATCH (s:PeriodSnapshot {id: $period})
DELETE s
