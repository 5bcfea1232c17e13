package store

// migration0011NextClock keeps the nearest running clock besides the tier and statutory ones — the
// parties' window to apply to the court, the court's acceptance and decision, the performance check, a
// review window — so that lists and boards show the clock that runs at every status (DESIGN §3 rule 4).
var migration0011NextClock = migration{11, "next clock", `
ALTER TABLE cases ADD COLUMN next_due_at {{time}};
ALTER TABLE cases ADD COLUMN next_due_kind TEXT NOT NULL DEFAULT ''
`}
