package store

// migration0004QueueIndexes lets the supervision board read its three lists in deadline order from an
// index instead of sorting every open case (measured by `make bench`: the county queue at 1,000,000
// cases went from seconds to 36 ms p99 on SQLite). Status and the paths are included so the scope
// filter is answered from the index too.
var migration0004QueueIndexes = migration{4, "supervision queue indexes", `
CREATE INDEX cases_queue_overdue ON cases(overdue, tier_due_at, id, status, location_path, handling_path);
CREATE INDEX cases_queue_at_risk ON cases(at_risk, overdue, tier_due_at, id, status, location_path, handling_path);
CREATE INDEX cases_queue_unack ON cases(unacknowledged, escalated_at, id, status, location_path, handling_path);
`}
