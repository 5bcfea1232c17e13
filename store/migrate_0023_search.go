package store

// migration0023Search makes cases findable by the people in them without keeping their names in clear
// anywhere new (DESIGN.md rule 7): case_search_keys holds, per party, keyed hashes (secret.Keyring.Hash
// under the purpose "search-name") of the character bigrams of the party's normalised name (a one-
// character name gives its one character), so that any part of two or more characters finds the name —
// what a clerk types for a Chinese name of two to four characters. The hash is the table's key (WITHOUT
// ROWID on SQLite: the rows are the index), followed by the party it came from, so that the bigrams of
// one query are intersected on the same party. A phone is found by the hash case_parties already keeps,
// now indexed; a case number by prefix (PostgreSQL needs text_pattern_ops for LIKE 'p%' to be a range
// whatever the collation; SQLite compares a range on the unique index the number already has). The
// parties projected before this migration are indexed once by DB.IndexSearchBackfill, whose progress
// search_backfill keeps so that a restart resumes it.
var migration0023Search = migration{23, "search keys", `
CREATE TABLE case_search_keys (
	hash TEXT NOT NULL,
	case_id TEXT NOT NULL,
	idx INTEGER NOT NULL,
	PRIMARY KEY (hash, case_id, idx)
) {{without_rowid}};
CREATE TABLE search_backfill (
	id INTEGER PRIMARY KEY,
	after_case TEXT NOT NULL DEFAULT '',
	done {{bool}} NOT NULL DEFAULT FALSE
);
INSERT INTO search_backfill (id, after_case, done) VALUES (1, '', FALSE);
CREATE INDEX case_parties_phone_hash ON case_parties(phone_hash);
{{postgres}} CREATE INDEX cases_number_pattern ON cases(number text_pattern_ops)
`}
