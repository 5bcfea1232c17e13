package store

// migration0002Cases creates the case projection: cases, their parties (ID numbers and phones sealed,
// with an HMAC for lookups and masked forms), the timeline (one row per workflow sequence number), the
// matter reservations that make "one case per matter" atomic (rule 3), the per-county-per-year case
// number sequences, the notification outbox and the in-app SMS inbox.
var migration0002Cases = migration{2, "cases", `
CREATE TABLE cases (
	id TEXT PRIMARY KEY,
	number TEXT NOT NULL UNIQUE,
	query_code TEXT NOT NULL UNIQUE,
	workflow_id TEXT NOT NULL,
	kind TEXT NOT NULL,
	category TEXT NOT NULL,
	channel TEXT NOT NULL,
	summary TEXT NOT NULL DEFAULT '',
	status TEXT NOT NULL,
	tier TEXT NOT NULL DEFAULT '',
	handling_node TEXT NOT NULL DEFAULT '',
	handling_path TEXT NOT NULL DEFAULT '',
	location TEXT NOT NULL,
	location_path TEXT NOT NULL DEFAULT '',
	assignee TEXT NOT NULL DEFAULT '',
	first_contact_user TEXT NOT NULL,
	first_contact_node TEXT NOT NULL,
	court TEXT NOT NULL DEFAULT '',
	tier_due_at {{time}},
	statutory_due_at {{time}},
	at_risk {{bool}} NOT NULL DEFAULT FALSE,
	overdue {{bool}} NOT NULL DEFAULT FALSE,
	paused {{bool}} NOT NULL DEFAULT FALSE,
	unacknowledged {{bool}} NOT NULL DEFAULT FALSE,
	escalated_at {{time}},
	acknowledged_at {{time}},
	one_visit_breach {{bool}} NOT NULL DEFAULT FALSE,
	visits INTEGER NOT NULL DEFAULT 1,
	opened_at {{time}} NOT NULL,
	closed_at {{time}},
	resolved_tier TEXT NOT NULL DEFAULT '',
	outcome TEXT NOT NULL DEFAULT '',
	satisfaction INTEGER,
	final {{bool}} NOT NULL DEFAULT FALSE,
	policy_version TEXT NOT NULL DEFAULT '',
	intake_enc {{bytes}},
	updated_seq BIGINT NOT NULL DEFAULT 0,
	created_at {{time}} NOT NULL,
	updated_at {{time}} NOT NULL
);
CREATE INDEX cases_status ON cases(status);
CREATE INDEX cases_handling_path ON cases(handling_path);
CREATE INDEX cases_location_path ON cases(location_path);
CREATE INDEX cases_assignee ON cases(assignee);
CREATE INDEX cases_first_contact ON cases(first_contact_user);
CREATE INDEX cases_tier_due ON cases(tier_due_at);
CREATE INDEX cases_opened ON cases(opened_at);
CREATE TABLE case_parties (
	case_id TEXT NOT NULL REFERENCES cases(id),
	idx INTEGER NOT NULL,
	role TEXT NOT NULL,
	name TEXT NOT NULL,
	id_number_enc {{bytes}},
	id_number_hash TEXT NOT NULL DEFAULT '',
	id_number_masked TEXT NOT NULL DEFAULT '',
	phone_enc {{bytes}},
	phone_hash TEXT NOT NULL DEFAULT '',
	phone_masked TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (case_id, idx)
);
CREATE INDEX case_parties_id_hash ON case_parties(id_number_hash);
CREATE TABLE case_events (
	case_id TEXT NOT NULL REFERENCES cases(id),
	seq BIGINT NOT NULL,
	occurred_at {{time}} NOT NULL,
	type TEXT NOT NULL,
	actor TEXT NOT NULL DEFAULT '',
	node TEXT NOT NULL DEFAULT '',
	detail TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (case_id, seq)
);
CREATE TABLE matters (
	matter_key TEXT PRIMARY KEY,
	case_id TEXT NOT NULL,
	final {{bool}} NOT NULL DEFAULT FALSE,
	created_at {{time}} NOT NULL
);
CREATE INDEX matters_case ON matters(case_id);
CREATE TABLE case_sequences (
	prefix TEXT NOT NULL,
	year INTEGER NOT NULL,
	next BIGINT NOT NULL,
	PRIMARY KEY (prefix, year)
);
CREATE TABLE outbox (
	id {{serial}},
	idem_key TEXT NOT NULL UNIQUE,
	case_id TEXT NOT NULL,
	kind TEXT NOT NULL,
	recipient_user TEXT NOT NULL DEFAULT '',
	recipient_role TEXT NOT NULL DEFAULT '',
	recipient_node TEXT NOT NULL DEFAULT '',
	recipient_phone_masked TEXT NOT NULL DEFAULT '',
	urgent {{bool}} NOT NULL DEFAULT FALSE,
	subject TEXT NOT NULL,
	body TEXT NOT NULL DEFAULT '',
	created_at {{time}} NOT NULL,
	send_after {{time}} NOT NULL,
	sent_at {{time}}
);
CREATE INDEX outbox_pending ON outbox(sent_at, send_after);
CREATE INDEX outbox_user ON outbox(recipient_user);
CREATE TABLE sms_inbox (
	id {{serial}},
	idem_key TEXT NOT NULL UNIQUE,
	phone_hash TEXT NOT NULL,
	phone_masked TEXT NOT NULL,
	text TEXT NOT NULL,
	created_at {{time}} NOT NULL
);
CREATE INDEX sms_inbox_phone ON sms_inbox(phone_hash);
`}
