package store

// migration0014Bodies adds the bodies (机构) seated at nodes of the tree (DESIGN.md §1). fields is a
// comma-wrapped list (",medical,traffic,") so that one field matches with LIKE on both databases. Every
// existing court node becomes a court body of the same code seated at the node it hangs under, so cases
// naming that court and grants at it keep working.
var migration0014Bodies = migration{14, "bodies", `
CREATE TABLE bodies (
	code TEXT PRIMARY KEY,
	name TEXT NOT NULL,
	type TEXT NOT NULL,
	node TEXT NOT NULL REFERENCES nodes(code),
	node_path TEXT NOT NULL,
	fields TEXT NOT NULL DEFAULT '',
	superior TEXT NOT NULL DEFAULT '',
	created_at {{time}} NOT NULL
);
CREATE INDEX bodies_node ON bodies(node, type);
CREATE INDEX bodies_path ON bodies(node_path, type);
INSERT INTO bodies (code, name, type, node, node_path, fields, superior, created_at)
	SELECT c.code, c.name, 'court', p.code, p.path, '', '', c.created_at
	FROM nodes c JOIN nodes p ON p.code = c.parent_code WHERE c.tier = 'court'
`}
