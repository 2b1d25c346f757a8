// name: finance/closing_records
// returns: many
// description: The closing record of every month ever closed (its state, who closed or reopened it and when),
//   without the stored figures.
// columns: period, state, closedAt, closedBy, reopenedAt, reopenedBy, reopenReason
MATCH (p:Period)
RETURN p.id AS period, p.state AS state, p.closedAt AS closedAt, p.closedBy AS closedBy,
       p.reopenedAt AS reopenedAt, p.reopenedBy AS reopenedBy, p.reopenReason AS reopenReason
