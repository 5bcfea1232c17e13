package accounts

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"fengqiao"
	"fengqiao/policy"
	"fengqiao/store"
)

// Reception is one leader reception day (领导接访日) as the public sees it: a leader of a jurisdiction
// receives petitioners at a place and time (信访工作条例 第十八条: 公布信访接待的时间和地点；领导干部定期接待群众来访). The
// leader's login name is kept for staff; the public sees the display name and title.
type Reception struct {
	ID         int64     `json:"id"`
	Node       string    `json:"node"`
	NodeName   string    `json:"node_name"`
	LeaderName string    `json:"leader_name"`
	Title      string    `json:"title"`
	Place      string    `json:"place"`
	StartsAt   time.Time `json:"starts_at"`
	EndsAt     time.Time `json:"ends_at"`
	Leader     string    `json:"-"`
}

// NewReception is a reception day to add (the body of POST /api/v1/leader-schedule).
type NewReception struct {
	Node     string    `json:"node"`
	Leader   string    `json:"leader"`
	Title    string    `json:"title"`
	Place    string    `json:"place"`
	StartsAt time.Time `json:"starts_at"`
	EndsAt   time.Time `json:"ends_at"`
}

// MaxReceptionLength is the longest one reception day may last.
const MaxReceptionLength = 12 * time.Hour

// AddReception adds a leader's reception day at a node. It needs admin.jurisdictions at the node;
// the leader must be an active account holding a supervising role over the node. Audited.
func (s *Service) AddReception(ctx context.Context, actor string, in NewReception) (Reception, error) {
	in.Node, in.Leader = strings.TrimSpace(in.Node), strings.TrimSpace(in.Leader)
	in.Title, in.Place = strings.TrimSpace(in.Title), strings.TrimSpace(in.Place)
	var v fengqiao.Validation
	v.Check(fengqiao.ValidNodeCode(in.Node), "node", "must be a jurisdiction code")
	v.Check(in.Leader != "", "leader", "is required")
	v.Check(in.Place != "" && utf8.RuneCountInString(in.Place) <= 200, "place", "is required (at most 200 characters)")
	v.Check(utf8.RuneCountInString(in.Title) <= 100, "title", "must be at most 100 characters")
	v.Check(!in.StartsAt.IsZero(), "starts_at", "is required")
	v.Check(in.EndsAt.After(in.StartsAt), "ends_at", "must be after starts_at")
	v.Check(in.EndsAt.Sub(in.StartsAt) <= MaxReceptionLength, "ends_at", "a reception day lasts at most 12 hours")
	if err := v.Err(); err != nil {
		return Reception{}, err
	}
	node, err := s.db.Node(ctx, in.Node)
	if errors.Is(err, store.ErrNotFound) {
		v.Add("node", "no such jurisdiction %s", in.Node)
		return Reception{}, v.Err()
	}
	if err != nil {
		return Reception{}, fmt.Errorf("accounts: reception node: %w", err)
	}
	if err := s.authorize(ctx, actor, policy.ActionAdminJurisdictions, in.Node, "leader-schedule"); err != nil {
		return Reception{}, err
	}
	leader, err := s.db.User(ctx, in.Leader)
	if errors.Is(err, store.ErrNotFound) || err == nil && leader.Disabled {
		v.Add("leader", "no active account %s", in.Leader)
		return Reception{}, v.Err()
	}
	if err != nil {
		return Reception{}, fmt.Errorf("accounts: reception leader: %w", err)
	}
	if ok, err := s.policy.Can(in.Leader, policy.ActionSupervisionRead, in.Node); err != nil {
		return Reception{}, err
	} else if !ok {
		v.Add("leader", "%s holds no supervising role over %s", in.Leader, in.Node)
		return Reception{}, v.Err()
	}
	row, err := s.db.AddReception(ctx, store.ReceptionRow{Node: in.Node, Leader: in.Leader, Title: in.Title,
		Place: in.Place, StartsAt: in.StartsAt, EndsAt: in.EndsAt, CreatedBy: actor})
	if err != nil {
		return Reception{}, err
	}
	s.audit(ctx, actor, policy.ActionAdminJurisdictions, in.Node, "leader-schedule/"+strconv.FormatInt(row.ID, 10), auditOK, "reception added")
	return reception(row, node.Name, leader), nil
}

// DeleteReception removes a reception day; it needs admin.jurisdictions at its node. Audited.
func (s *Service) DeleteReception(ctx context.Context, actor string, id int64) error {
	object := "leader-schedule/" + strconv.FormatInt(id, 10)
	row, err := s.db.Reception(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return fengqiao.Errorf(fengqiao.ECodeNotFound, "no reception day %d", id)
	}
	if err != nil {
		return err
	}
	if err := s.authorize(ctx, actor, policy.ActionAdminJurisdictions, row.Node, object); err != nil {
		return err
	}
	if err := s.db.DeleteReception(ctx, id); err != nil {
		return err
	}
	s.audit(ctx, actor, policy.ActionAdminJurisdictions, row.Node, object, auditOK, "reception removed")
	return nil
}

// Receptions lists the reception days not over by from, soonest first (at most 100): under node when
// given, else everywhere. The schedule is public.
func (s *Service) Receptions(ctx context.Context, node string, from time.Time) ([]Reception, error) {
	under := ""
	if node != "" {
		n, err := s.db.Node(ctx, node)
		if errors.Is(err, store.ErrNotFound) {
			var v fengqiao.Validation
			v.Add("node", "no such jurisdiction %s", node)
			return nil, v.Err()
		}
		if err != nil {
			return nil, fmt.Errorf("accounts: receptions node: %w", err)
		}
		under = n.Path
	}
	rows, err := s.db.Receptions(ctx, under, from, 100)
	if err != nil {
		return nil, err
	}
	out := make([]Reception, 0, len(rows))
	names := map[string]string{}
	for _, r := range rows {
		if _, ok := names[r.Node]; !ok {
			if n, err := s.db.Node(ctx, r.Node); err == nil {
				names[r.Node] = n.Name
			}
		}
		leader, _ := s.db.User(ctx, r.Leader)
		out = append(out, reception(r, names[r.Node], leader))
	}
	return out, nil
}

// reception is a stored reception day as shown: the leader by display name.
func reception(r store.ReceptionRow, nodeName string, leader store.UserRow) Reception {
	name := leader.DisplayName
	if name == "" {
		name = r.Leader
	}
	return Reception{ID: r.ID, Node: r.Node, NodeName: nodeName, LeaderName: name, Title: r.Title,
		Place: r.Place, StartsAt: r.StartsAt, EndsAt: r.EndsAt, Leader: r.Leader}
}
