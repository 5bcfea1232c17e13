package policy

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/casbin/casbin/v2/model"
	"github.com/casbin/casbin/v2/persist"
	gormadapter "github.com/casbin/gorm-adapter/v3"
	"gorm.io/gorm"

	"fengqiao"
	"fengqiao/store"
)

// Tables this package owns, created by New when missing (the store's migrations do not know them):
//
//	casbin_rule     the Casbin policy, in the GORM adapter's own layout: p rules (role, action, scope)
//	                and g rules (user, role, node), unique over (ptype, v0..v5)
//	policy_version  one row (id 1): bumped, under its row lock, in the same transaction as every
//	                grant, revocation, node addition and permission reseed
//	policy_changes  one row per bump: what changed, so that other processes apply the change instead
//	                of reloading a city's worth of grants
const (
	ruleTable    = "casbin_rule"
	versionTable = "policy_version"
	changesTable = "policy_changes"
)

// Kinds of change in policy_changes.
const (
	changeGrant  = "grant"  // v0 user, v1 role, v2 node
	changeRevoke = "revoke" // v0 user, v1 role, v2 node
	changeNode   = "node"   // v2 node: a jurisdiction was added
	changeTree   = "tree"   // the tree changed in bulk (an import): reload the nodes and bodies
	changeBody   = "body"   // v2 body: a body was added
	changeAll    = "all"    // the permissions were reseeded: reload everything
)

// pgLockKey serialises New's schema setup across processes on PostgreSQL.
const pgLockKey = 7233004

func ddl(postgres bool) []string {
	serial, big := "INTEGER PRIMARY KEY AUTOINCREMENT", "INTEGER"
	if postgres {
		serial, big = "BIGSERIAL PRIMARY KEY", "BIGINT"
	}
	return []string{
		`CREATE TABLE IF NOT EXISTS ` + ruleTable + ` (
			id ` + serial + `,
			ptype VARCHAR(100) NOT NULL DEFAULT '',
			v0 VARCHAR(100) NOT NULL DEFAULT '',
			v1 VARCHAR(100) NOT NULL DEFAULT '',
			v2 VARCHAR(100) NOT NULL DEFAULT '',
			v3 VARCHAR(100) NOT NULL DEFAULT '',
			v4 VARCHAR(100) NOT NULL DEFAULT '',
			v5 VARCHAR(100) NOT NULL DEFAULT '')`,
		`CREATE UNIQUE INDEX IF NOT EXISTS idx_casbin_rule ON ` + ruleTable + ` (ptype, v0, v1, v2, v3, v4, v5)`,
		`CREATE TABLE IF NOT EXISTS ` + versionTable + ` (id INTEGER PRIMARY KEY, version ` + big + ` NOT NULL)`,
		`INSERT INTO ` + versionTable + ` (id, version) VALUES (1, 0) ON CONFLICT (id) DO NOTHING`,
		`CREATE TABLE IF NOT EXISTS ` + changesTable + ` (
			version ` + big + ` PRIMARY KEY,
			kind VARCHAR(16) NOT NULL,
			v0 VARCHAR(100) NOT NULL DEFAULT '',
			v1 VARCHAR(100) NOT NULL DEFAULT '',
			v2 VARCHAR(100) NOT NULL DEFAULT '',
			at_ms ` + big + ` NOT NULL)`,
	}
}

// setup creates the tables when missing and makes the p rules in the database equal the code's
// permissions (the code is the source of truth: a release that changes the table reseeds it, and
// every process reloads).
func setup(ctx context.Context, db *store.DB) error {
	return db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if db.IsPostgres() {
			if err := tx.Exec("SELECT pg_advisory_xact_lock(?)", pgLockKey).Error; err != nil {
				return fmt.Errorf("lock: %w", err)
			}
		}
		for _, stmt := range ddl(db.IsPostgres()) {
			if err := tx.Exec(stmt).Error; err != nil {
				return fmt.Errorf("%s: %w", firstLine(stmt), err)
			}
		}
		var have []gormadapter.CasbinRule
		if err := tx.Table(ruleTable).Where("ptype = ?", "p").Find(&have).Error; err != nil {
			return fmt.Errorf("read permissions: %w", err)
		}
		want := permissions()
		if samePermissions(have, want) {
			return nil
		}
		if _, err := bump(tx, change{kind: changeAll}); err != nil {
			return err
		}
		if err := tx.Exec("DELETE FROM "+ruleTable+" WHERE ptype = ?", "p").Error; err != nil {
			return fmt.Errorf("clear permissions: %w", err)
		}
		ad, err := txAdapter(tx)
		if err != nil {
			return err
		}
		rules := make([][]string, len(want))
		for i, p := range want {
			rules[i] = []string{string(p.role), string(p.action), p.scope}
		}
		if err := ad.AddPolicies("p", "p", rules); err != nil {
			return fmt.Errorf("seed permissions: %w", err)
		}
		return nil
	})
}

func samePermissions(have []gormadapter.CasbinRule, want []permission) bool {
	if len(have) != len(want) {
		return false
	}
	a := make([]string, len(have))
	for i, r := range have {
		a[i] = r.V0 + "|" + r.V1 + "|" + r.V2 + "|" + r.V3
	}
	b := make([]string, len(want))
	for i, p := range want {
		b[i] = string(p.role) + "|" + string(p.action) + "|" + p.scope + "|"
	}
	sort.Strings(a)
	sort.Strings(b)
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// txAdapter returns the Casbin GORM adapter working inside tx (its table already exists: automatic
// migration is off, so several processes starting at once do not race on ALTERs).
func txAdapter(tx *gorm.DB) (*gormadapter.Adapter, error) {
	s := tx.Session(&gorm.Session{})
	gormadapter.TurnOffAutoMigrate(s)
	ad, err := gormadapter.NewAdapterByDBUseTableName(s, "", ruleTable)
	if err != nil {
		return nil, fmt.Errorf("policy: casbin adapter: %w", err)
	}
	return ad, nil
}

// loadAdapter is the Casbin GORM adapter with a LoadPolicy that honours a context and streams the
// rows: the adapter's own LoadPolicy scans the whole table into one slice of structs through GORM's
// reflection and checks each rule twice, which is half of the load time of a city's 100,000 grants.
// Everything else (the table layout, writes inside Grant and Revoke's transactions) is the adapter's.
type loadAdapter struct {
	*gormadapter.Adapter
	ctx context.Context
}

// LoadPolicy implements persist.Adapter. The model's rules have at most three fields (p: role,
// action, scope; g: user, role, node), so v3..v5 are not read.
func (l loadAdapter) LoadPolicy(m model.Model) error {
	// no ORDER BY: the model has no rule priorities, so the order of rules does not matter
	rows, err := l.GetDb().WithContext(l.ctx).Raw("SELECT ptype, v0, v1, v2 FROM " + ruleTable).Rows()
	if err != nil {
		return fmt.Errorf("read %s: %w", ruleTable, err)
	}
	defer rows.Close()
	var line [4]string
	for rows.Next() {
		if err := rows.Scan(&line[0], &line[1], &line[2], &line[3]); err != nil {
			return fmt.Errorf("read %s: %w", ruleTable, err)
		}
		n := len(line)
		for n > 1 && line[n-1] == "" {
			n--
		}
		if err := persist.LoadPolicyArray(slices.Clone(line[:n]), m); err != nil {
			return fmt.Errorf("load rule %v: %w", line[:n], err)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read %s: %w", ruleTable, err)
	}
	return nil
}

// change is one row of policy_changes.
type change struct {
	version int64
	kind    string
	v0      string
	v1      string
	v2      string
}

// bump raises policy_version (taking its row lock, which serialises every policy write, so that
// versions become visible in order) and records the change under the new version.
func bump(tx *gorm.DB, c change) (int64, error) {
	var v int64
	if err := tx.Raw("UPDATE " + versionTable + " SET version = version + 1 WHERE id = 1 RETURNING version").Scan(&v).Error; err != nil {
		return 0, fmt.Errorf("bump policy version: %w", err)
	}
	if v == 0 {
		return 0, errors.New("bump policy version: the version row is missing")
	}
	err := tx.Exec("INSERT INTO "+changesTable+" (version, kind, v0, v1, v2, at_ms) VALUES (?, ?, ?, ?, ?, ?)",
		v, c.kind, c.v0, c.v1, c.v2, time.Now().UnixMilli()).Error
	if err != nil {
		return 0, fmt.Errorf("record policy change: %w", err)
	}
	return v, nil
}

// readVersion returns the current policy version.
func readVersion(ctx context.Context, db *store.DB) (int64, error) {
	var v int64
	if err := db.WithContext(ctx).Raw("SELECT version FROM " + versionTable + " WHERE id = 1").Scan(&v).Error; err != nil {
		return 0, fmt.Errorf("read policy version: %w", err)
	}
	return v, nil
}

// readChanges returns the changes after version `after`, oldest first, at most limit of them.
func readChanges(ctx context.Context, db *store.DB, after int64, limit int) ([]change, error) {
	rows, err := db.WithContext(ctx).Raw("SELECT version, kind, v0, v1, v2 FROM "+changesTable+
		" WHERE version > ? ORDER BY version LIMIT ?", after, limit).Rows()
	if err != nil {
		return nil, fmt.Errorf("read policy changes: %w", err)
	}
	defer rows.Close()
	var out []change
	for rows.Next() {
		var c change
		if err := rows.Scan(&c.version, &c.kind, &c.v0, &c.v1, &c.v2); err != nil {
			return nil, fmt.Errorf("read policy changes: %w", err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read policy changes: %w", err)
	}
	return out, nil
}

// pruneChanges deletes the changes recorded before `before`, except the last keepVersions of them, and
// returns how many it deleted. One statement, so two processes pruning at once delete the same rows.
func pruneChanges(ctx context.Context, db *store.DB, before time.Time, keepVersions int64) (int64, error) {
	res := db.WithContext(ctx).Exec("DELETE FROM "+changesTable+" WHERE at_ms < ? AND version <= "+
		"(SELECT COALESCE(MAX(version), 0) FROM "+changesTable+") - ?", before.UnixMilli(), keepVersions)
	if res.Error != nil {
		return 0, fmt.Errorf("prune policy changes: %w", res.Error)
	}
	return res.RowsAffected, nil
}

// nodeRow is what the Authorizer keeps of a row of the nodes table.
type nodeRow struct {
	code, parent, path string
	tier               fengqiao.Tier
}

// loadNodes reads the nodes table (only the columns decisions need, without GORM's reflection: a
// city has ~73,000 nodes), in no particular order (sorting a city by path costs the database more
// than linking it costs us). With codes, only those nodes.
func loadNodes(ctx context.Context, db *store.DB, codes ...string) ([]nodeRow, error) {
	return loadRows(ctx, db, "nodes", "SELECT code, COALESCE(parent_code, ''), path, tier FROM nodes", codes,
		func(rows *sql.Rows) (r nodeRow, err error) {
			var tier string
			err = rows.Scan(&r.code, &r.parent, &r.path, &tier)
			r.tier = fengqiao.Tier(tier)
			return r, err
		})
}

// bodyRow is what the Authorizer keeps of a row of the bodies table.
type bodyRow struct {
	code, seat string
	typ        fengqiao.BodyType
}

// loadBodies reads the bodies table (code, seat and type); with codes, only those bodies.
func loadBodies(ctx context.Context, db *store.DB, codes ...string) ([]bodyRow, error) {
	return loadRows(ctx, db, "bodies", "SELECT code, node, type FROM bodies", codes,
		func(rows *sql.Rows) (r bodyRow, err error) {
			var typ string
			err = rows.Scan(&r.code, &r.seat, &typ)
			r.typ = fengqiao.BodyType(typ)
			return r, err
		})
}

// loadRows runs q over table (with codes, only the rows of those codes) and scans each row.
func loadRows[T any](ctx context.Context, db *store.DB, table, q string, codes []string, scan func(*sql.Rows) (T, error)) ([]T, error) {
	var args []any
	if len(codes) > 0 {
		q += " WHERE code IN ?"
		args = append(args, codes)
	}
	rows, err := db.WithContext(ctx).Raw(q, args...).Rows()
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", table, err)
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		r, err := scan(rows)
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", table, err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read %s: %w", table, err)
	}
	return out, nil
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}
