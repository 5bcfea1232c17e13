package store

// migration0012Delivery lets a delivery worker send the outbox (issue 14): each notice records when it
// was delivered, how many attempts failed and the last error, the channels that already took it (a
// retry skips them), when it is next tried, and until when a
// worker holds it (a claim, so that two workers never send it at once). staff_inbox is the in-app
// inbox: one row per notice and staff member it reached, with when it was read; its text stays sealed
// in the outbox row it points to.
var migration0012Delivery = migration{12, "delivery", `
ALTER TABLE outbox ADD COLUMN delivered_at {{time}};
ALTER TABLE outbox ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN next_attempt_at {{time}};
ALTER TABLE outbox ADD COLUMN last_error TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN claimed_until {{time}};
ALTER TABLE outbox ADD COLUMN channels_done TEXT NOT NULL DEFAULT '';
CREATE INDEX outbox_due ON outbox(delivered_at, send_after);
CREATE TABLE staff_inbox (
	id {{serial}},
	outbox_id BIGINT NOT NULL,
	username TEXT NOT NULL,
	case_id TEXT NOT NULL,
	kind TEXT NOT NULL,
	created_at {{time}} NOT NULL,
	read_at {{time}},
	UNIQUE (outbox_id, username)
);
CREATE INDEX staff_inbox_user ON staff_inbox(username, read_at)
`}
