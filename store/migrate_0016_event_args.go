package store

// migration0016EventArgs keeps each timeline event's facts as data (JSON: the body, tier, dates, decision
// an event names), so that pages render the event in the reader's language from its type and these
// arguments; the detail column keeps only what a person wrote (sealed), never a sentence of the engine's.
var migration0016EventArgs = migration{16, "event args", `
ALTER TABLE case_events ADD COLUMN args TEXT NOT NULL DEFAULT ''
`}
