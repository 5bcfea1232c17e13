package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"fengqiao"

	"gorm.io/gorm"
)

// BodyRow is a row of the bodies table.
type BodyRow struct {
	Code      string `gorm:"primaryKey"`
	Name      string
	Type      string
	Node      string
	NodePath  string
	Fields    string
	Superior  string
	CreatedAt time.Time
}

// TableName implements gorm's Tabler.
func (BodyRow) TableName() string { return "bodies" }

func (r BodyRow) body() fengqiao.Body {
	b := fengqiao.Body{Code: r.Code, Name: r.Name, Type: fengqiao.BodyType(r.Type), Node: r.Node,
		NodePath: r.NodePath, Superior: r.Superior}
	for _, f := range strings.Split(r.Fields, ",") {
		if f != "" {
			b.Fields = append(b.Fields, f)
		}
	}
	return b
}

func joinFields(fields []string) string {
	if len(fields) == 0 {
		return ""
	}
	return "," + strings.Join(fields, ",") + ","
}

// ValidateBody checks a body's own fields (not its seat or superior, which need the database).
func ValidateBody(b fengqiao.Body) error {
	var v fengqiao.Validation
	v.Check(fengqiao.ValidNodeCode(b.Code), "code", "must be 2-32 letters, digits, '-' or '_'")
	v.Check(strings.TrimSpace(b.Name) != "" && len(b.Name) <= 200, "name", "is required (at most 200 bytes)")
	v.Check(b.Type.Valid(), "type", "must be one of committee, professional, center, agency, petition_office, court, arbitration, notary, police")
	v.Check(b.Node != "", "node", "is required")
	for i, f := range b.Fields {
		v.Check(fengqiao.ValidCategory(f), fmt.Sprintf("fields[%d]", i), "unknown field %q", f)
	}
	v.Check(b.Superior != b.Code || b.Code == "", "superior", "cannot be the body itself")
	return v.Err()
}

// CreateBody adds a body seated at an existing node; an agency's superior, when named, must exist. It
// returns the body with its seat's path.
func (db *DB) CreateBody(ctx context.Context, b fengqiao.Body) (fengqiao.Body, error) {
	if err := ValidateBody(b); err != nil {
		return fengqiao.Body{}, err
	}
	var out fengqiao.Body
	err := db.Tx(ctx, func(tx *gorm.DB) error {
		var err error
		out, err = createBody(ctx, tx, b)
		return err
	})
	return out, err
}

// createBody adds one body inside a transaction (CreateBody, the CSV import).
func createBody(_ context.Context, tx *gorm.DB, b fengqiao.Body) (fengqiao.Body, error) {
	var seat NodeRow
	if err := tx.First(&seat, "code = ?", b.Node).Error; err != nil {
		if translate(err) == ErrNotFound {
			return fengqiao.Body{}, fieldErr("node", "no such jurisdiction "+b.Node)
		}
		return fengqiao.Body{}, err
	}
	if b.Superior != "" {
		var n int64
		if err := tx.Model(&BodyRow{}).Where("code = ?", b.Superior).Count(&n).Error; err != nil {
			return fengqiao.Body{}, err
		}
		if n == 0 {
			return fengqiao.Body{}, fieldErr("superior", "no such body "+b.Superior)
		}
	}
	var taken int64
	if err := tx.Model(&BodyRow{}).Where("code = ?", b.Code).Count(&taken).Error; err != nil {
		return fengqiao.Body{}, err
	}
	if taken > 0 {
		return fengqiao.Body{}, &fengqiao.Error{Code: fengqiao.ECodeConflict, Message: "code: a body with this code exists",
			Fields: []fengqiao.FieldError{{Field: "code", Message: "a body with this code exists"}}}
	}
	row := BodyRow{Code: b.Code, Name: strings.TrimSpace(b.Name), Type: string(b.Type), Node: seat.Code,
		NodePath: seat.Path, Fields: joinFields(b.Fields), Superior: b.Superior, CreatedAt: time.Now().UTC()}
	if err := tx.Create(&row).Error; err != nil {
		return fengqiao.Body{}, fmt.Errorf("store: create body %s: %w", b.Code, err)
	}
	return row.body(), nil
}

func fieldErr(field, msg string) error {
	return &fengqiao.Error{Code: fengqiao.ECodeInvalid, Message: field + ": " + msg,
		Fields: []fengqiao.FieldError{{Field: field, Message: msg}}}
}

// Body returns the body with the code, or ErrNotFound.
func (db *DB) Body(ctx context.Context, code string) (fengqiao.Body, error) {
	var row BodyRow
	if err := db.WithContext(ctx).First(&row, "code = ?", code).Error; err != nil {
		return fengqiao.Body{}, translate(err)
	}
	return row.body(), nil
}

// Bodies lists the bodies matching the filter, ordered by code.
func (db *DB) Bodies(ctx context.Context, f fengqiao.BodyFilter) ([]fengqiao.Body, error) {
	q := db.WithContext(ctx).Model(&BodyRow{}).Order("code")
	if f.Node != "" {
		q = q.Where("node = ?", f.Node)
	}
	if f.Under != "" {
		q = q.Where("node_path LIKE ?", f.Under+"%")
	}
	if f.Type != "" {
		q = q.Where("type = ?", string(f.Type))
	}
	if f.Field != "" {
		q = q.Where("fields LIKE ?", "%,"+f.Field+",%")
	}
	var rows []BodyRow
	if err := q.Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("store: bodies: %w", err)
	}
	out := make([]fengqiao.Body, len(rows))
	for i, r := range rows {
		out[i] = r.body()
	}
	return out, nil
}

// BodiesAt lists the bodies seated at any of the nodes (a location's chain), ordered by code.
func (db *DB) BodiesAt(ctx context.Context, nodes []string) ([]fengqiao.Body, error) {
	var rows []BodyRow
	if err := db.WithContext(ctx).Where("node IN ?", nodes).Order("code").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("store: bodies at %v: %w", nodes, err)
	}
	out := make([]fengqiao.Body, len(rows))
	for i, r := range rows {
		out[i] = r.body()
	}
	return out, nil
}

var _ fengqiao.BodyDirectory = (*DB)(nil)
