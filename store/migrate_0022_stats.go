package store

// migration0022Stats keeps on each case the code of its outcome in clear (outcome_code: resolved,
// resolved_on_spot, terminated, withdrawn, mediation_refused, answered, final_after_review,
// referred_out, other), since the outcome itself is free text kept sealed and statistics must tell a
// case resolved from one merely closed (化解 vs 办结) in SQL. Rows whose outcome is still in clear are
// classified here; a sealed one is classified when the projection next writes it (CaseRow.Seal), and
// until then counts as closed but not resolved. closed_at gets an index (the statistics count the
// cases closed in a period), and the timeline one by type and time (they count the ratings submitted in
// a period).
var migration0022Stats = migration{22, "stats outcome code", `
ALTER TABLE cases ADD COLUMN outcome_code TEXT NOT NULL DEFAULT '';
UPDATE cases SET outcome_code = CASE
	WHEN outcome = 'resolved' OR outcome LIKE 'resolved:%' THEN 'resolved'
	WHEN outcome LIKE 'resolved_on_spot%' THEN 'resolved_on_spot'
	WHEN outcome = 'terminated' OR outcome LIKE 'terminated:%' THEN 'terminated'
	WHEN outcome = 'withdrawn' OR outcome LIKE 'withdrawn:%' THEN 'withdrawn'
	WHEN outcome LIKE 'mediation_refused%' THEN 'mediation_refused'
	WHEN outcome = 'answered' OR outcome LIKE 'answered:%' THEN 'answered'
	WHEN outcome LIKE 'final_after_review%' OR status = 'final' THEN 'final_after_review'
	WHEN outcome LIKE 'referred_out%' OR status = 'referred_out' THEN 'referred_out'
	WHEN outcome <> '' THEN 'other'
	ELSE '' END;
CREATE INDEX cases_closed ON cases(closed_at);
CREATE INDEX case_events_type_time ON case_events(type, occurred_at)
`}
