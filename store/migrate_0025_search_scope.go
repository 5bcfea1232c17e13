package store

// migration0025SearchScope copies into every search key the columns of its case that a reader's scope
// (ReadScope) and an open-only search select by, so that a name search applies the scope to the keys
// themselves: the keys of one bigram lie together in the table, and reading them with their scope is
// one range, where checking each candidate against its case was a random read of the cases table per
// candidate, city-wide (BENCHMARKS.md: name searches missed p99 ≤ 100 ms at 1,000,000 cases). The
// projection keeps them equal to the case row (syncSearchScope), by case_id.
var migration0025SearchScope = migration{25, "search scope", `
ALTER TABLE case_search_keys ADD COLUMN kind TEXT NOT NULL DEFAULT '';
ALTER TABLE case_search_keys ADD COLUMN status TEXT NOT NULL DEFAULT '';
ALTER TABLE case_search_keys ADD COLUMN location_path TEXT NOT NULL DEFAULT '';
ALTER TABLE case_search_keys ADD COLUMN handling_path TEXT NOT NULL DEFAULT '';
ALTER TABLE case_search_keys ADD COLUMN handling_body TEXT NOT NULL DEFAULT '';
ALTER TABLE case_search_keys ADD COLUMN co_bodies TEXT NOT NULL DEFAULT '';
ALTER TABLE case_search_keys ADD COLUMN court TEXT NOT NULL DEFAULT '';
ALTER TABLE case_search_keys ADD COLUMN first_contact_node TEXT NOT NULL DEFAULT '';
ALTER TABLE case_search_keys ADD COLUMN first_contact_user TEXT NOT NULL DEFAULT '';
ALTER TABLE case_search_keys ADD COLUMN assignee TEXT NOT NULL DEFAULT '';
ALTER TABLE case_search_keys ADD COLUMN opened_at {{time}};
CREATE INDEX case_search_keys_case ON case_search_keys(case_id);
UPDATE case_search_keys SET ` + searchScopeSet + `
`}

// searchScopeColumns are the columns of a case its search keys carry (migration 0025).
const searchScopeColumns = "kind, status, location_path, handling_path, handling_body, co_bodies, court, first_contact_node, first_contact_user, assignee, opened_at"

// searchScopeSet sets a search key's scope columns from its case row.
const searchScopeSet = "(" + searchScopeColumns + ") = (SELECT " + searchScopeColumns + " FROM cases WHERE cases.id = case_search_keys.case_id)"
