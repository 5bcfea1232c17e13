package store

// migration0008Risks holds the risk flags of cases (DESIGN §3 rule 9) for the risk board: one row per
// flag, open or closed, replaced as a whole by each projection that changes them (seq guards against an
// older step). Rows carry no party data and no free text: the reason and the plan stay on the case.
var migration0008Risks = migration{8, "risk flags", `
CREATE TABLE case_risks (
	case_id TEXT NOT NULL,
	idx INTEGER NOT NULL,
	kind TEXT NOT NULL,
	severity INTEGER NOT NULL,
	since {{time}} NOT NULL,
	owner TEXT NOT NULL DEFAULT '',
	review_at {{time}},
	closed_at {{time}},
	leader TEXT NOT NULL DEFAULT '',
	seq BIGINT NOT NULL,
	PRIMARY KEY (case_id, idx)
);
CREATE INDEX case_risks_open ON case_risks(closed_at, severity)
`}
