package store

import (
	"context"
	"fmt"
	"slices"
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

// ValidateBody checks a body's own fields (not its seat or superior, which need the database). The
// messages are Chinese first, English in brackets; each names its field.
func ValidateBody(b fengqiao.Body) error {
	var v fengqiao.Validation
	for _, f := range bodyOwnProblems(b) {
		v.Add(f.Field, "%s", f.Message)
	}
	return v.Err()
}

// bodyTypeList is "committee（人民调解委员会）、professional（…）…" for the type error.
func bodyTypeList() string {
	parts := make([]string, len(fengqiao.BodyTypes))
	for i, t := range fengqiao.BodyTypes {
		parts[i] = string(t) + "（" + t.Label() + "）"
	}
	return strings.Join(parts, "、")
}

// bodyOwnProblems are the problems of a body's own fields.
func bodyOwnProblems(b fengqiao.Body) []fengqiao.FieldError {
	var out []fengqiao.FieldError
	add := func(field, msg string) { out = append(out, fengqiao.FieldError{Field: field, Message: msg}) }
	if !fengqiao.ValidNodeCode(b.Code) {
		add("code", "编码须为 2 至 32 位字母、数字、“-”或“_” (must be 2-32 letters, digits, '-' or '_')")
	}
	if strings.TrimSpace(b.Name) == "" || len(b.Name) > 200 {
		add("name", "名称必填，不超过 200 字节 (is required, at most 200 bytes)")
	}
	if !b.Type.Valid() {
		add("type", "类型须为 "+bodyTypeList()+" 之一 (must be one of committee, professional, center, agency, petition_office, court, arbitration, notary, police)")
	}
	if b.Node == "" {
		add("node", "所在辖区必填 (is required)")
	}
	for _, f := range b.Fields {
		if !fengqiao.ValidCategory(f) {
			add("fields", fmt.Sprintf("“%s”不是已知的纠纷类别 (unknown field %q)", f, f))
		}
	}
	switch {
	case b.Superior == "":
	case b.Superior == b.Code:
		add("superior", "上级机关不能是本机构自身 (cannot be the body itself)")
	case b.Type.Valid() && b.Type != fengqiao.BodyAgency:
		add("superior", "只有行政机关（agency）填写上级机关 (only an agency names a superior)")
	}
	return out
}

// bodyWorld is what checking a body against the database needs: the nodes and bodies it names. The
// CSV import answers from maps (the file's own bodies included), CreateBody from rows it read.
type bodyWorld struct {
	nodes  map[string]fengqiao.Node
	bodies map[string]fengqiao.Body
}

// problems are the problems of b against the world, given its own fields are valid: its seat exists,
// its code is not a jurisdiction's (but for a court body of its court node), its superior exists, is
// an agency and sits at the body's node or above it. A taken code is left to the caller (a conflict
// for CreateBody, a line for the import).
func (w bodyWorld) problems(b fengqiao.Body) []fengqiao.FieldError {
	var out []fengqiao.FieldError
	add := func(field, msg string) { out = append(out, fengqiao.FieldError{Field: field, Message: msg}) }
	seat, seatOK := w.nodes[b.Node]
	if !seatOK {
		add("node", fmt.Sprintf("没有辖区 %s (no such jurisdiction %s)", b.Node, b.Node))
	}
	if n, ok := w.nodes[b.Code]; ok && !(b.Type == fengqiao.BodyCourt && n.Tier == fengqiao.TierCourt && n.ParentCode == b.Node) {
		add("code", fmt.Sprintf("编码与辖区 %s 重复；只有法院可沿用其法院辖区的编码 (the code is a jurisdiction's; only a court body may share its court node's code)", n.Code))
	}
	if b.Superior != "" && b.Superior != b.Code {
		sup, ok := w.bodies[b.Superior]
		switch {
		case !ok:
			add("superior", fmt.Sprintf("没有机构 %s (no such body %s)", b.Superior, b.Superior))
		case sup.Type != fengqiao.BodyAgency:
			add("superior", fmt.Sprintf("上级机关 %s 不是行政机关 (the superior %s is not an agency)", b.Superior, b.Superior))
		case seatOK && !strings.HasPrefix(seat.Path, w.nodes[sup.Node].Path):
			add("superior", fmt.Sprintf("上级机关 %s 须设在本机构所在辖区或其上级辖区 (the superior must sit at the body's node or above it)", b.Superior))
		}
	}
	return out
}

// CreateBody adds a body seated at an existing node; an agency's superior, when named, must exist. It
// returns the body with its seat's path. A taken code is a conflict.
func (db *DB) CreateBody(ctx context.Context, b fengqiao.Body) (fengqiao.Body, error) {
	b = cleanBody(b)
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

// cleanBody trims a body's fields as both CreateBody and the import take them.
func cleanBody(b fengqiao.Body) fengqiao.Body {
	b.Code, b.Name, b.Node, b.Superior = strings.TrimSpace(b.Code), strings.TrimSpace(b.Name), strings.TrimSpace(b.Node), strings.TrimSpace(b.Superior)
	b.Type = fengqiao.BodyType(strings.TrimSpace(string(b.Type)))
	var fields []string
	for _, f := range b.Fields {
		if f = strings.TrimSpace(f); f != "" && !slices.Contains(fields, f) {
			fields = append(fields, f)
		}
	}
	b.Fields = fields
	return b
}

// createBody adds one body inside a transaction.
func createBody(_ context.Context, tx *gorm.DB, b fengqiao.Body) (fengqiao.Body, error) {
	w := bodyWorld{nodes: map[string]fengqiao.Node{}, bodies: map[string]fengqiao.Body{}}
	var nodes []NodeRow
	if err := tx.Where("code IN ?", []string{b.Node, b.Code}).Find(&nodes).Error; err != nil {
		return fengqiao.Body{}, fmt.Errorf("store: create body %s: %w", b.Code, err)
	}
	for _, n := range nodes {
		w.nodes[n.Code] = n.node()
	}
	var bodies []BodyRow
	if err := tx.Where("code IN ?", []string{b.Code, b.Superior}).Find(&bodies).Error; err != nil {
		return fengqiao.Body{}, fmt.Errorf("store: create body %s: %w", b.Code, err)
	}
	taken := false
	for _, r := range bodies {
		w.bodies[r.Code] = r.body()
		taken = taken || r.Code == b.Code
	}
	if sup, ok := w.bodies[b.Superior]; ok && b.Superior != "" {
		var n NodeRow
		if err := tx.First(&n, "code = ?", sup.Node).Error; err == nil {
			w.nodes[n.Code] = n.node()
		}
	}
	if taken {
		msg := "机构编码已存在 (a body with this code exists)"
		return fengqiao.Body{}, &fengqiao.Error{Code: fengqiao.ECodeConflict, Message: "code: " + msg,
			Fields: []fengqiao.FieldError{{Field: "code", Message: msg}}}
	}
	if fields := w.problems(b); len(fields) > 0 {
		return fengqiao.Body{}, &fengqiao.Error{Code: fengqiao.ECodeInvalid,
			Message: "the request has invalid fields: " + fields[0].Field + " " + fields[0].Message, Fields: fields}
	}
	seat := w.nodes[b.Node]
	row := BodyRow{Code: b.Code, Name: b.Name, Type: string(b.Type), Node: seat.Code,
		NodePath: seat.Path, Fields: joinFields(b.Fields), Superior: b.Superior, CreatedAt: time.Now().UTC()}
	if err := tx.Create(&row).Error; err != nil {
		return fengqiao.Body{}, fmt.Errorf("store: create body %s: %w", b.Code, err)
	}
	if err := putDirKeys(tx, bodyKeys(row)); err != nil {
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
	return findBodies(db.bodyQuery(ctx, f))
}

// bodyQuery selects the bodies matching the filter, ordered by code.
func (db *DB) bodyQuery(ctx context.Context, f fengqiao.BodyFilter) *gorm.DB {
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
	return q
}

func findBodies(q *gorm.DB) ([]fengqiao.Body, error) {
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

// BodiesPage lists the bodies matching the filter by code, at most limit of them after the code
// cursor ("" from the start): the paged list of GET /api/v1/bodies.
func (db *DB) BodiesPage(ctx context.Context, f fengqiao.BodyFilter, cursor string, limit int) ([]fengqiao.Body, error) {
	q := db.bodyQuery(ctx, f).Limit(limit)
	if cursor != "" {
		q = q.Where("code > ?", cursor)
	}
	return findBodies(q)
}
