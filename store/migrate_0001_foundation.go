package store

// migration0001Foundation creates the jurisdiction tree, staff accounts and login tokens.
var migration0001Foundation = migration{1, "foundation", `
CREATE TABLE nodes (
	code TEXT PRIMARY KEY,
	name TEXT NOT NULL,
	tier TEXT NOT NULL,
	parent_code TEXT REFERENCES nodes(code),
	path TEXT NOT NULL,
	depth INTEGER NOT NULL,
	created_at {{time}} NOT NULL
);
CREATE INDEX nodes_parent ON nodes(parent_code);
CREATE INDEX nodes_path ON nodes(path);
CREATE TABLE users (
	id {{serial}},
	username TEXT NOT NULL UNIQUE,
	password_hash TEXT NOT NULL,
	display_name TEXT NOT NULL DEFAULT '',
	phone_enc {{bytes}},
	disabled {{bool}} NOT NULL DEFAULT FALSE,
	created_at {{time}} NOT NULL,
	updated_at {{time}} NOT NULL
);
CREATE TABLE tokens (
	hash TEXT PRIMARY KEY,
	username TEXT NOT NULL,
	created_at {{time}} NOT NULL,
	expires_at {{time}} NOT NULL,
	revoked_at {{time}}
);
CREATE INDEX tokens_username ON tokens(username);
`}
