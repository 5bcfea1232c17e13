package store

// migration0007Calendars holds the holiday calendar as administrators keep it: one row per year, the
// State Council's notice for that year (holidays and the weekend days worked instead, 调休), each a JSON
// list of "YYYY-MM-DD". A stored year replaces the built-in one of the same year; a year without a row
// and without a built-in notice is counted on the statutory stand-in (provisional).
var migration0007Calendars = migration{7, "holiday calendars", `
CREATE TABLE calendars (
	year INTEGER PRIMARY KEY,
	holidays TEXT NOT NULL,
	workdays TEXT NOT NULL,
	updated_by TEXT NOT NULL,
	updated_at {{time}} NOT NULL
)
`}
