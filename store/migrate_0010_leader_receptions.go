package store

// migration0010LeaderReceptions keeps the leaders' reception days (领导接访日): who receives
// petitioners, for which jurisdiction, where and when. The schedule is public; it holds no party data.
var migration0010LeaderReceptions = migration{10, "leader receptions", `
CREATE TABLE leader_receptions (
	id {{serial}},
	node TEXT NOT NULL,
	leader TEXT NOT NULL,
	title TEXT NOT NULL DEFAULT '',
	place TEXT NOT NULL,
	starts_at {{time}} NOT NULL,
	ends_at {{time}} NOT NULL,
	created_by TEXT NOT NULL,
	created_at {{time}} NOT NULL
);
CREATE INDEX leader_receptions_ends ON leader_receptions(ends_at)
`}
