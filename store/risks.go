package store

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"fengqiao"
)

// RiskRow is one risk flag of a case as the risk board lists it.
type RiskRow struct {
	CaseID   string     `gorm:"column:case_id;primaryKey"`
	Idx      int        `gorm:"column:idx;primaryKey"`
	Kind     string     `gorm:"column:kind"`
	Severity int        `gorm:"column:severity"`
	Since    time.Time  `gorm:"column:since"`
	Owner    string     `gorm:"column:owner"`
	ReviewAt *time.Time `gorm:"column:review_at"`
	ClosedAt *time.Time `gorm:"column:closed_at"`
	Leader   string     `gorm:"column:leader"`
	Seq      int64      `gorm:"column:seq"`
}

// TableName is the table of risk flags.
func (RiskRow) TableName() string { return "case_risks" }

// ReplaceRisks replaces the risk flags of a case with those of step seq, unless a later step has
// written them already (projections may be retried out of order), and records its leader (case_leaders).
func (db *DB) ReplaceRisks(ctx context.Context, caseID string, seq int64, risks []fengqiao.Risk, leader string) error {
	return db.Tx(ctx, func(tx *gorm.DB) error {
		if err := setCaseLeader(tx, caseID, seq, leader); err != nil {
			return fmt.Errorf("store: leader of %s: %w", caseID, err)
		}
		var newer int64
		if err := tx.Model(&RiskRow{}).Where("case_id = ? AND seq > ?", caseID, seq).Count(&newer).Error; err != nil {
			return err
		}
		if newer > 0 {
			return nil
		}
		if err := tx.Where("case_id = ?", caseID).Delete(&RiskRow{}).Error; err != nil {
			return err
		}
		for i, r := range risks {
			row := RiskRow{CaseID: caseID, Idx: i, Kind: string(r.Kind), Severity: r.Severity, Since: r.Since.UTC(),
				Owner: r.Owner, ReviewAt: r.ReviewAt, ClosedAt: r.ClosedAt, Leader: leader, Seq: seq}
			if err := tx.Create(&row).Error; err != nil {
				return fmt.Errorf("store: risk %s/%d: %w", caseID, i, err)
			}
		}
		return nil
	})
}

// BoardRisk is an open risk on the board with its case.
type BoardRisk struct {
	RiskRow
	Number       string `gorm:"column:number"`
	Status       string `gorm:"column:status"`
	HandlingNode string `gorm:"column:handling_node"`
	Location     string `gorm:"column:location"`
}

// RiskBoard lists the risks of the cases located or handled in one of subtrees, most severe first, then
// the oldest; open only unless all.
func (db *DB) RiskBoard(ctx context.Context, subtrees []string, all bool, limit int) ([]BoardRisk, error) {
	if len(subtrees) == 0 {
		return nil, nil
	}
	q := db.WithContext(ctx).Table("case_risks").
		Select("case_risks.*, cases.number, cases.status, cases.handling_node, cases.location").
		Joins("JOIN cases ON cases.id = case_risks.case_id")
	var conds []string
	var args []any
	for _, p := range subtrees {
		for _, col := range []string{"cases.location_path", "cases.handling_path"} {
			c, a := underPath(q, col, p)
			conds = append(conds, c)
			args = append(args, a...)
		}
	}
	where := "(" + conds[0]
	for _, c := range conds[1:] {
		where += " OR " + c
	}
	q = q.Where(where+")", args...)
	if !all {
		q = q.Where("case_risks.closed_at IS NULL")
	}
	if limit <= 0 || limit > 500 {
		limit = 500
	}
	var out []BoardRisk
	err := q.Order("case_risks.severity DESC, case_risks.since ASC, case_risks.case_id, case_risks.idx").Limit(limit).Find(&out).Error
	return out, err
}

// RiskStats counts the risks raised and closed in [from, to) in subtrees, and the mean age in days of
// those closed.
func (db *DB) RiskStats(ctx context.Context, subtrees []string, from, to time.Time) (raised, closed int64, meanDays float64, err error) {
	rows, err := db.RiskBoard(ctx, subtrees, true, 500)
	if err != nil {
		return 0, 0, 0, err
	}
	var days float64
	for _, r := range rows {
		if !r.Since.Before(from) && r.Since.Before(to) {
			raised++
		}
		if r.ClosedAt != nil && !r.ClosedAt.Before(from) && r.ClosedAt.Before(to) {
			closed++
			days += r.ClosedAt.Sub(r.Since).Hours() / 24
		}
	}
	if closed > 0 {
		meanDays = days / float64(closed)
	}
	return raised, closed, meanDays, nil
}
