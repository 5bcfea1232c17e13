package store

// migration0009CaseLeaders keeps the leader who took each case (领导包案, DESIGN §3 rule 9), so that
// lists and boards can name them without asking each workflow; case_risks carries the leader only on
// cases that have a risk flag. A row carries a username and no party data.
var migration0009CaseLeaders = migration{9, "case leaders", `
CREATE TABLE case_leaders (
	case_id TEXT PRIMARY KEY,
	leader TEXT NOT NULL,
	seq BIGINT NOT NULL
)
`}
