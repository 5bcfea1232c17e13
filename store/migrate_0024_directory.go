package store

// migration0024Directory adds the directory keys (search_directory.go): the characters and pairs of
// characters of every place's, body's and staff member's name, keyed so that a type-ahead reads one
// tier of one subtree as one range of the index; the paths compare byte by byte so that a subtree is a
// range whatever PostgreSQL's collation. The keys of what exists are written in the same transaction
// (migrationFills).
var migration0024Directory = migration{24, "directory keys", `
CREATE TABLE directory_keys (
	kind TEXT NOT NULL,
	gram TEXT NOT NULL,
	depth INTEGER NOT NULL,
	path TEXT {{bytewise}} NOT NULL,
	ref TEXT NOT NULL,
	PRIMARY KEY (kind, gram, depth, path, ref)
) {{without_rowid}};
CREATE INDEX directory_keys_ref ON directory_keys(kind, ref)
`}
