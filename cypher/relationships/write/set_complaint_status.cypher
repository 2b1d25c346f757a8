// name: relationships/write/set_complaint_status
// returns: write
// description: Moves a complaint to $status with its escalation level and acknowledgement time. Runs only
//   inside an audited write.
// param audit: string
// param id: string
// param status: string
// param escalationLevel: int
// param acknowledged: string?
MATCH (:AuditEntry {id: $audit})
MATCH (x:Complaint {id: $id})
SET x.status = $status, x.escalationLevel = $escalationLevel, x.acknowledged = $acknowledged
