package store

// migration0013NotesAttachments keeps what staff add to a case outside its workflow (issue 14): notes
// from the field, with an optional location, and attachments (photos and documents). A note's text and
// location are sealed in body_enc; an attachment's display name is sealed in name_enc and its content,
// sealed too, lies in data when there is no data folder, else in a file named after the row's id under
// the attachments folder (data is then NULL). Neither is a step of the case's workflow.
var migration0013NotesAttachments = migration{13, "case notes and attachments", `
CREATE TABLE case_notes (
	id TEXT PRIMARY KEY,
	case_id TEXT NOT NULL,
	author TEXT NOT NULL,
	created_at {{time}} NOT NULL,
	body_enc {{bytes}} NOT NULL
);
CREATE INDEX case_notes_case ON case_notes(case_id, created_at);
CREATE TABLE case_attachments (
	id TEXT PRIMARY KEY,
	case_id TEXT NOT NULL,
	uploader TEXT NOT NULL,
	created_at {{time}} NOT NULL,
	name_enc {{bytes}} NOT NULL,
	content_type TEXT NOT NULL,
	size BIGINT NOT NULL,
	sha256 TEXT NOT NULL,
	data {{bytes}}
);
CREATE INDEX case_attachments_case ON case_attachments(case_id, created_at)
`}
