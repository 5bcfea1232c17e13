package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"fengqiao"

	"gorm.io/gorm"
)

// NodeRow is a row of the jurisdiction tree.
type NodeRow struct {
	Code       string `gorm:"primaryKey"`
	Name       string
	Tier       string
	ParentCode *string
	Path       string
	Depth      int
	CreatedAt  time.Time
}

// TableName implements gorm's Tabler.
func (NodeRow) TableName() string { return "nodes" }

func (r NodeRow) node() fengqiao.Node {
	n := fengqiao.Node{Code: r.Code, Name: r.Name, Tier: fengqiao.Tier(r.Tier), Path: r.Path}
	if r.ParentCode != nil {
		n.ParentCode = *r.ParentCode
	}
	return n
}

// CreateNode adds a node under its parent, enforcing the tier rules (a village's parent is a township,
// a court hangs under a county or a city, only a city may be a root). It returns the node with its path.
func (db *DB) CreateNode(ctx context.Context, n fengqiao.Node) (fengqiao.Node, error) {
	if err := ValidateNode(n); err != nil {
		return fengqiao.Node{}, err
	}
	row := NodeRow{Code: n.Code, Name: n.Name, Tier: string(n.Tier), CreatedAt: time.Now().UTC()}
	err := db.Tx(ctx, func(tx *gorm.DB) error {
		row.Path, row.Depth = "/"+n.Code+"/", 0
		if n.ParentCode != "" {
			var parent NodeRow
			if err := tx.First(&parent, "code = ?", n.ParentCode).Error; err != nil {
				if errors.Is(err, gorm.ErrRecordNotFound) {
					return &fengqiao.Error{Code: fengqiao.ECodeInvalid, Message: "parent_code: no such jurisdiction",
						Fields: []fengqiao.FieldError{fengqiao.FieldErrorf("parent_code", "no such jurisdiction %s", n.ParentCode)}}
				}
				return err
			}
			if !n.Tier.CanHangUnder(fengqiao.Tier(parent.Tier)) {
				return &fengqiao.Error{Code: fengqiao.ECodeInvalid, Message: fmt.Sprintf("tier: a %s cannot hang under a %s", n.Tier, parent.Tier),
					Fields: []fengqiao.FieldError{{Field: "tier", Message: fmt.Sprintf("a %s cannot hang under a %s", n.Tier, parent.Tier)}}}
			}
			pc := n.ParentCode
			row.ParentCode = &pc
			row.Path, row.Depth = parent.Path+n.Code+"/", parent.Depth+1
		}
		if err := tx.Create(&row).Error; err != nil {
			return err
		}
		return putDirKeys(tx, nodeKeys(row))
	})
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return fengqiao.Node{}, fengqiao.Errorf(fengqiao.ECodeConflict, "jurisdiction %s already exists", n.Code)
	}
	if err != nil {
		var fe *fengqiao.Error
		if errors.As(err, &fe) {
			return fengqiao.Node{}, fe
		}
		return fengqiao.Node{}, fmt.Errorf("store: create node %s: %w", n.Code, err)
	}
	return row.node(), nil
}

// ValidateNode checks a node's own fields (not its place in the tree).
func ValidateNode(n fengqiao.Node) error {
	var v fengqiao.Validation
	v.Check(fengqiao.ValidNodeCode(n.Code), "code", "must be 2-32 letters, digits, '-' or '_'")
	v.Check(strings.TrimSpace(n.Name) != "" && len(n.Name) <= 200, "name", "is required (at most 200 bytes)")
	v.Check(n.Tier.Valid(), "tier", "must be one of city, county, township, village, grid, court")
	if n.Tier.Valid() {
		v.Check(n.Tier == fengqiao.TierCity || n.ParentCode != "", "parent_code", "is required for a %s", n.Tier)
		v.Check(n.Tier != fengqiao.TierCity || n.ParentCode == "", "parent_code", "must be empty for a city")
	}
	return v.Err()
}

// Node returns the node with the code, or ErrNotFound.
func (db *DB) Node(ctx context.Context, code string) (fengqiao.Node, error) {
	var row NodeRow
	if err := db.WithContext(ctx).First(&row, "code = ?", code).Error; err != nil {
		return fengqiao.Node{}, translate(err)
	}
	return row.node(), nil
}

// Chain returns the node with the code and its ancestors, root first, in one query; ErrNotFound when the
// node does not exist.
func (db *DB) Chain(ctx context.Context, code string) ([]fengqiao.Node, error) {
	n, err := db.Node(ctx, code)
	if err != nil {
		return nil, err
	}
	codes := PathCodes(n.Path)
	var rows []NodeRow
	if err := db.WithContext(ctx).Where("code IN ?", codes).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("store: chain of %s: %w", code, err)
	}
	byCode := make(map[string]NodeRow, len(rows))
	for _, r := range rows {
		byCode[r.Code] = r
	}
	out := make([]fengqiao.Node, 0, len(codes))
	for _, c := range codes {
		r, ok := byCode[c]
		if !ok {
			return nil, fmt.Errorf("store: chain of %s: ancestor %s is missing", code, c)
		}
		out = append(out, r.node())
	}
	return out, nil
}

// Children lists the nodes directly under parent ("" lists the roots), ordered by code, at most limit
// after the code `after` (keyset pagination).
func (db *DB) Children(ctx context.Context, parent, after string, limit int) ([]fengqiao.Node, error) {
	q := db.WithContext(ctx).Model(&NodeRow{}).Order("code").Limit(limit)
	if parent == "" {
		q = q.Where("parent_code IS NULL")
	} else {
		q = q.Where("parent_code = ?", parent)
	}
	if after != "" {
		q = q.Where("code > ?", after)
	}
	var rows []NodeRow
	if err := q.Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("store: children of %s: %w", parent, err)
	}
	out := make([]fengqiao.Node, len(rows))
	for i, r := range rows {
		out[i] = r.node()
	}
	return out, nil
}

// AllNodes returns the whole tree ordered by path (parents before children).
func (db *DB) AllNodes(ctx context.Context) ([]fengqiao.Node, error) {
	var rows []NodeRow
	if err := db.WithContext(ctx).Order("path").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("store: all nodes: %w", err)
	}
	out := make([]fengqiao.Node, len(rows))
	for i, r := range rows {
		out[i] = r.node()
	}
	return out, nil
}

// PathCodes splits a node path "/a/b/c/" into its codes, root first.
func PathCodes(path string) []string {
	return strings.FieldsFunc(path, func(r rune) bool { return r == '/' })
}
