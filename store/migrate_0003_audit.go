package store

// migration0003Audit creates the hash-chained audit log (PIPL 51) and the idempotency keys of creates.
// audit_head holds the chain's tip in one row, so that appends from many processes serialise on it.
var migration0003Audit = migration{3, "audit and idempotency", `
CREATE TABLE audit_log (
	seq BIGINT PRIMARY KEY,
	at {{time}} NOT NULL,
	actor TEXT NOT NULL,
	node TEXT NOT NULL DEFAULT '',
	action TEXT NOT NULL,
	object TEXT NOT NULL DEFAULT '',
	outcome TEXT NOT NULL,
	detail TEXT NOT NULL DEFAULT '',
	prev_hash TEXT NOT NULL,
	hash TEXT NOT NULL
);
CREATE INDEX audit_log_object ON audit_log(object);
CREATE INDEX audit_log_actor ON audit_log(actor, at);
CREATE TABLE audit_head (
	id INTEGER PRIMARY KEY,
	seq BIGINT NOT NULL,
	hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '');
CREATE TABLE idempotency_keys (
	username TEXT NOT NULL,
	key TEXT NOT NULL,
	route TEXT NOT NULL,
	request_hash TEXT NOT NULL,
	status INTEGER NOT NULL,
	content_type TEXT NOT NULL DEFAULT '',
	body {{bytes}},
	created_at {{time}} NOT NULL,
	PRIMARY KEY (username, key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys(created_at);
`}
