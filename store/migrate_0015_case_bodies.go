package store

// migration0015CaseBodies keeps on each case the body that handles it and the co-bodies of a joint
// mediation (DESIGN.md §1-2), so that lists, boards and read scopes can select by body. co_bodies is a
// comma-wrapped list of body codes (",hs-rsj,hs-zjj,"), matched with LIKE on both databases.
var migration0015CaseBodies = migration{15, "case bodies", `
ALTER TABLE cases ADD COLUMN handling_body TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN handling_body_name TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN handling_body_type TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN co_bodies TEXT NOT NULL DEFAULT '';
CREATE INDEX cases_handling_body ON cases(handling_body, status)
`}
