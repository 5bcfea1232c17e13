package store

import (
	"context"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// CaseLeaderRow is the leader who took a case (包案), as of step Seq of its workflow.
type CaseLeaderRow struct {
	CaseID string `gorm:"column:case_id;primaryKey"`
	Leader string `gorm:"column:leader"`
	Seq    int64  `gorm:"column:seq"`
}

// TableName is the table of case leaders.
func (CaseLeaderRow) TableName() string { return "case_leaders" }

// setCaseLeader records the leader of a case as of step seq, unless a later step has written it.
func setCaseLeader(tx *gorm.DB, caseID string, seq int64, leader string) error {
	if leader == "" {
		return nil // a leader, once in charge, is never removed by the rules
	}
	return tx.Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "case_id"}},
		DoUpdates: clause.AssignmentColumns([]string{"leader", "seq"}),
		Where:     clause.Where{Exprs: []clause.Expression{clause.Expr{SQL: "case_leaders.seq < excluded.seq"}}},
	}).Create(&CaseLeaderRow{CaseID: caseID, Leader: leader, Seq: seq}).Error
}

// CaseMarks are what a case list shows of a case beyond its row: the kinds of its open risk flags, most
// severe first, the leader who took it, if any, and whether the court has filed it (a court referral
// returned for filing that its court filed: a court_filed event). They name no party.
type CaseMarks struct {
	Risks  []string
	Leader string
	Filed  bool
}

// Marks returns the marks of the cases ids that have any (a case without any is absent).
func (db *DB) Marks(ctx context.Context, ids []string) (map[string]CaseMarks, error) {
	out := map[string]CaseMarks{}
	if len(ids) == 0 {
		return out, nil
	}
	var risks []RiskRow
	if err := db.WithContext(ctx).Where("case_id IN ? AND closed_at IS NULL", ids).
		Order("case_id, severity DESC, idx").Find(&risks).Error; err != nil {
		return nil, err
	}
	for _, r := range risks {
		m := out[r.CaseID]
		m.Risks = append(m.Risks, r.Kind)
		out[r.CaseID] = m
	}
	var leaders []CaseLeaderRow
	if err := db.WithContext(ctx).Where("case_id IN ?", ids).Find(&leaders).Error; err != nil {
		return nil, err
	}
	for _, l := range leaders {
		m := out[l.CaseID]
		m.Leader = l.Leader
		out[l.CaseID] = m
	}
	var filed []string
	if err := db.WithContext(ctx).Model(&EventRow{}).Distinct("case_id").
		Where("case_id IN ? AND type = ?", ids, "court_filed").Pluck("case_id", &filed).Error; err != nil {
		return nil, err
	}
	for _, id := range filed {
		m := out[id]
		m.Filed = true
		out[id] = m
	}
	return out, nil
}

// RiskFigures are the risk figures of a subtree over a period (statistics, rule 9): the risks found in
// it and closed in it, the mean days those closed had stayed open, and the risks open now with their
// mean age in days.
type RiskFigures struct {
	Raised          int64   `json:"raised"`
	Closed          int64   `json:"closed"`
	MeanDaysToClose float64 `json:"mean_days_to_close"`
	Open            int64   `json:"open"`
	OpenMeanAgeDays float64 `json:"open_mean_age_days"`
}
