// name: portfolio/views/counts_by_stage_and_kind
// returns: many
MATCH (s:Service)
RETURN s.stage AS stage, s.kind AS kind, count(s) AS services
ORDER BY stage, kind
