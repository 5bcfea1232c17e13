package cases

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"fengqiao"
	"fengqiao/policy"
	"fengqiao/store"
	"fengqiao/workflows"
)

// The use cases below are what both front ends (the JSON API and the web pages) do with cases on behalf
// of a logged-in user: each validates, authorizes through the Authorizer, picks the grant the user acts
// under, acts, and writes the audit log (PIPL 51: every change, every full read, every denial). The
// front ends only decode their input and present the result.

// Audit outcomes.
const (
	auditOK     = "ok"
	auditDenied = "denied"
	auditRead   = "read"
)

// audit appends to the hash-chained audit log. detail holds no personal data. The entry is written
// even when the caller has gone away.
func (s *Service) audit(ctx context.Context, user, action, node, object, outcome, detail string) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	_, err := s.DB.Audit(ctx, store.AuditEntry{Actor: user, Node: node, Action: action, Object: object,
		Outcome: outcome, Detail: detail})
	if err != nil {
		s.log().Error("audit entry not written", "action", action, "object", object, "error", err)
	}
}

var errForbidden = fengqiao.Errorf(fengqiao.ECodeForbidden, "your roles do not allow this")

func noCase(id string) error { return fengqiao.Errorf(fengqiao.ECodeNotFound, "no case %s", id) }

// decide answers whether user may do action on the case whose lookup gave ref (or err): not found when
// the user may not know the case exists (or it does not), forbidden when they may see it but not act.
// Denials are audited.
func (s *Service) decide(ctx context.Context, user, id string, action policy.Action, ref policy.CaseRef, err error) error {
	if fengqiao.ErrorCode(err) == fengqiao.ECodeNotFound {
		s.audit(ctx, user, string(action), "", "case/"+id, auditDenied, "no such case")
		return noCase(id)
	}
	if err != nil {
		return err
	}
	d, err := s.Authz.CanOnCase(user, action, ref)
	if err != nil {
		return err
	}
	if !d.Allowed {
		s.audit(ctx, user, string(action), ref.HandlingNode, "case/"+id, auditDenied, d.Reason)
		if !d.Visible {
			return noCase(id)
		}
		return errForbidden
	}
	return nil
}

// Load returns the case for user to do action on it (read, print, ...), or not found / forbidden.
func (s *Service) Load(ctx context.Context, user, id string, action policy.Action) (View, error) {
	if !ValidID(id) {
		return View{}, noCase(id)
	}
	v, err := s.Get(ctx, id)
	if err != nil {
		return View{}, s.decide(ctx, user, id, action, policy.CaseRef{}, err)
	}
	if err := s.decide(ctx, user, id, action, Ref(v), nil); err != nil {
		return View{}, err
	}
	return s.shown(user, v), nil
}

// shown is the case as user may see it: who complained is left out for a reader who may not see the
// complainant (XGTL 30).
func (s *Service) shown(user string, v View) View {
	if s.Authz.MaySeeComplainant(user, Ref(v)) {
		return v
	}
	parties := make([]fengqiao.Party, 0, len(v.Parties))
	for _, p := range v.Parties {
		if p.Role != fengqiao.PartyApplicant && p.Role != fengqiao.PartyRepresentative {
			parties = append(parties, p)
		}
	}
	v.Parties = parties
	return v
}

// Read returns the full case for user; the read is audited.
func (s *Service) Read(ctx context.Context, user, id string) (View, error) {
	return s.readAs(ctx, user, id, "")
}

// Print returns the case for a printed document (doc names it); the print is a full read, audited.
func (s *Service) Print(ctx context.Context, user, id, doc string) (View, error) {
	return s.readAs(ctx, user, id, "printed "+doc)
}

// PrintIdentity is Print for a document in legal form, which names the parties in full (ID number,
// phone, address): full reports whether user may print that identity unmasked. Those who may are the
// people who handle the case — its assigned mediator or handler, and a supervisor of its handling node
// (exactly those case.close is granted to) — and an officer of the court it was sent to
// (case.court_decision). Anyone else who may read the case gets it masked. The print is a full read,
// audited with which of the two it was.
func (s *Service) PrintIdentity(ctx context.Context, user, id, doc string) (v View, full bool, err error) {
	v, err = s.Load(ctx, user, id, policy.ActionCaseRead)
	if err != nil {
		return View{}, false, err
	}
	for _, a := range []policy.Action{policy.ActionCaseClose, policy.ActionCaseCourtDecision} {
		if d, err := s.Authz.CanOnCase(user, a, Ref(v)); err == nil && d.Allowed {
			full = true
			break
		}
	}
	detail := "printed " + doc + " (identity masked)"
	if full {
		detail = "printed " + doc + " with full identity"
	}
	s.audit(ctx, user, string(policy.ActionCaseRead), v.HandlingNode, "case/"+v.ID, auditRead, detail)
	return v, full, nil
}

func (s *Service) readAs(ctx context.Context, user, id, detail string) (View, error) {
	v, err := s.Load(ctx, user, id, policy.ActionCaseRead)
	if err != nil {
		return View{}, err
	}
	s.audit(ctx, user, string(policy.ActionCaseRead), v.HandlingNode, "case/"+v.ID, auditRead, detail)
	return v, nil
}

// ReadTimeline returns the case's timeline for user; the read is audited.
func (s *Service) ReadTimeline(ctx context.Context, user, id string) ([]store.EventRow, error) {
	v, err := s.Load(ctx, user, id, policy.ActionCaseRead)
	if err != nil {
		return nil, err
	}
	events, err := s.Timeline(ctx, v.ID)
	if err != nil {
		return nil, err
	}
	s.audit(ctx, user, string(policy.ActionCaseRead), v.HandlingNode, "case/"+v.ID+"/timeline", auditRead, "")
	return events, nil
}

// AllowedActions are the actions the case's state allows now (NextActions) and username's roles allow
// on it: the "allowed_actions" the API and the pages offer. A co-body's part is offered only to a
// mediator a co-body named (the workflow lets nobody else record one), not to every mediator who reads
// the case.
func (s *Service) AllowedActions(username string, v View) ([]string, error) {
	allowed, err := s.Authz.AllowedCaseActions(username, Ref(v))
	if err != nil {
		return nil, err
	}
	may := map[policy.Action]bool{}
	for _, a := range allowed {
		may[a] = true
	}
	out := []string{}
	for _, next := range v.NextActions {
		if next == workflows.UpdateJointPart && !namedCoMediator(v, username) {
			continue
		}
		if a, ok := actions[next]; ok && may[a.Permission] {
			out = append(out, next)
		}
	}
	return out, nil
}

// Intake opens a case for user (rule 1): any clerk anywhere, a grid worker in their grid; an
// on-the-spot resolution needs its own permission too. A matter already open answers
// duplicate_open_case naming that case.
func (s *Service) Intake(ctx context.Context, user string, req OpenRequest) (View, bool, error) {
	if err := req.Validate(); err != nil {
		return View{}, false, err
	}
	action := policy.ActionCaseOpen
	if req.ResolvedOnSpot != nil {
		action = policy.ActionCaseResolveOnSpot
	}
	if req.Kind == fengqiao.KindCourtReferral {
		return s.refer(ctx, user, req)
	}
	for _, a := range []policy.Action{policy.ActionCaseOpen, action} {
		d, err := s.Authz.CanOnCase(user, a, policy.CaseRef{Location: req.Location})
		if err != nil {
			return View{}, false, err
		}
		if !d.Allowed {
			s.audit(ctx, user, string(a), req.Location, "cases", auditDenied, d.Reason)
			if _, known := s.Authz.PathOf(req.Location); !known {
				return View{}, false, &fengqiao.Error{Code: fengqiao.ECodeInvalid, Message: "location: no such jurisdiction",
					Fields: []fengqiao.FieldError{fengqiao.FieldErrorf("location", "no such jurisdiction %s", req.Location)}}
			}
			return View{}, false, fengqiao.Errorf(fengqiao.ECodeForbidden, "your roles do not allow intake at this location")
		}
	}
	actor := actorFor(s.Authz, user, action, req.Location)
	v, created, err := s.Open(ctx, actor, req)
	if err != nil {
		var fe *fengqiao.Error
		if errors.As(err, &fe) && fe.Code == fengqiao.ECodeDuplicateCase {
			s.audit(ctx, user, string(policy.ActionCaseOpen), req.Location, "case/"+fe.Details["existing_case_id"], auditOK,
				"duplicate intake of an open matter")
		}
		return View{}, false, err
	}
	s.audit(ctx, user, string(action), v.HandlingNode, "case/"+v.ID, auditOK, "opened "+string(v.Kind)+" "+v.Number)
	return s.shown(user, v), created, nil
}

// Perform does a staff action on a case for user: decode fills the action's arguments (strict JSON for
// the API, a form for the pages); the user must hold the action's permission on the case; an assignee
// must be able to mediate there. key, the client's Idempotency-Key or the form's one-time key, makes a
// retried or double-submitted action act once. A refusal by the workflow changes nothing.
func (s *Service) Perform(ctx context.Context, user, id, name string, decode func(args any) error, key string) (View, error) {
	spec, known := Action(name)
	args := workflows.NewArgs(name)
	if !known || args == nil {
		return View{}, fengqiao.Errorf(fengqiao.ECodeNotFound, "no case action %q", name)
	}
	if err := decode(args); err != nil {
		return View{}, err
	}
	if !ValidID(id) {
		return View{}, noCase(id)
	}
	ref, err := s.RefOf(ctx, id)
	if err := s.decide(ctx, user, id, spec.Permission, ref, err); err != nil {
		return View{}, err
	}
	if m, ok := args.(*workflows.MigratePolicyArgs); ok && m.Policy.Version == "" {
		m.Policy = s.Policy
	}
	if a, ok := args.(*workflows.AssignArgs); ok && !s.Authz.CanBeAssigned(a.Mediator, ref) {
		return View{}, &fengqiao.Error{Code: fengqiao.ECodeInvalid, Message: "mediator: holds no mediator role covering the handling node",
			Fields: []fengqiao.FieldError{fengqiao.FieldErrorf("mediator", "holds no mediator role covering %s", ref.HandlingNode)}}
	}
	if err := s.trackArgs(ctx, id, args); err != nil {
		return View{}, err
	}
	actor := actorFor(s.Authz, user, spec.Permission, ref.HandlingNode, ref.Location)
	if spec.Permission == policy.ActionCaseCourtDecision && ref.Court != "" {
		actor = actorFor(s.Authz, user, spec.Permission, ref.Court)
	}
	after, err := s.ActOnce(ctx, actor, id, name, args, UpdateID(user, key))
	if err != nil {
		return View{}, err
	}
	s.audit(ctx, user, string(spec.Permission), after.HandlingNode, "case/"+id, auditOK, name)
	return s.shown(user, after), nil
}

// UpdateID derives the workflow update id of an action from the user and the client's key, so that
// the same key from the same user acts once; "" (Temporal picks one) without a key.
func UpdateID(user, key string) string {
	if key == "" {
		return ""
	}
	sum := sha256.Sum256([]byte(user + "\x00" + key))
	return "idem-" + hex.EncodeToString(sum[:16])
}

// BulkOutcome is the result of a bulk action on one case: the case after it, or why not.
type BulkOutcome struct {
	ID   string
	Case *View
	Err  error
}

// Bulk applies one action to 1-100 cases for a supervisor, each exactly as Perform would (its own
// authorization and workflow validation), and reports per case.
func (s *Service) Bulk(ctx context.Context, user string, ids []string, name string, decode func(args any) error, key string) ([]BulkOutcome, error) {
	spec, known := Action(name)
	var v fengqiao.Validation
	v.Check(known && spec.Bulk, "action", "must be one of %s", strings.Join(BulkActions(), ", "))
	v.Check(len(ids) > 0 && len(ids) <= 100, "case_ids", "must list 1 to 100 cases")
	if err := v.Err(); err != nil {
		return nil, err
	}
	if !s.Authz.HasAnywhere(user, policy.ActionSupervisionBulk) {
		s.audit(ctx, user, string(policy.ActionSupervisionBulk), "", "supervision/bulk", auditDenied, "no supervising role")
		return nil, fengqiao.Errorf(fengqiao.ECodeForbidden, "only supervisors take bulk actions")
	}
	ids = distinct(ids) // a case listed twice (once per risk on the risk board) is acted on once
	out := make([]BulkOutcome, len(ids))
	for i, id := range ids {
		after, err := s.Perform(ctx, user, id, name, decode, key)
		out[i] = BulkOutcome{ID: id, Err: err}
		if err == nil {
			out[i].Case = &after
		}
	}
	return out, nil
}

// readScope is the SQL filter of the cases user may read.
func (s *Service) readScope(user string) *store.ReadScope {
	sc := s.Authz.ReadScope(user)
	return &store.ReadScope{User: user, Subtrees: sc.Subtrees, Bodies: sc.Bodies, Courts: sc.Courts,
		FirstContactSubtrees: sc.FirstContactSubtrees, FirstContact: sc.FirstContact, Assigned: sc.Assigned}
}

// List returns the cases matching f that user may read, filtered in SQL by user's read scope, their
// summaries opened.
func (s *Service) List(ctx context.Context, user string, f store.CaseFilter) ([]store.CaseRow, error) {
	f.Scope = s.readScope(user)
	rows, err := s.DB.ListCases(ctx, f)
	return s.openCases(ctx, rows), err
}

// Lookup finds a person's open cases by ID number among those user may read: the clerk's check before
// an intake (rule 3, 最多跑一次). The number is matched by its keyed hash; the search is audited.
func (s *Service) Lookup(ctx context.Context, user, idNumber string) ([]store.CaseRow, error) {
	id := fengqiao.NormalizeIDNumber(idNumber)
	if !fengqiao.ValidIDNumber(id) {
		return nil, &fengqiao.Error{Code: fengqiao.ECodeInvalid, Message: "id_number must be a valid 18-digit resident ID number",
			Fields: []fengqiao.FieldError{{Field: "id_number", Message: "must be a valid 18-digit resident ID number"}}}
	}
	rows, err := s.List(ctx, user, store.CaseFilter{Limit: 100, OpenOnly: true, PartyIDHashes: s.Keys.HashAll("id_number", id)})
	if err != nil {
		return nil, err
	}
	s.audit(ctx, user, string(policy.ActionCaseRead), "", "cases/lookup", auditRead, fmt.Sprintf("%d open cases found", len(rows)))
	return rows, nil
}

// nodePath is the path of a node named in a request, or a field error naming field.
func (s *Service) nodePath(field, node string) (string, error) {
	path, ok := s.Authz.PathOf(node)
	if !ok {
		return "", &fengqiao.Error{Code: fengqiao.ECodeInvalid, Message: field + ": no such jurisdiction",
			Fields: []fengqiao.FieldError{fengqiao.FieldErrorf(field, "no such jurisdiction %s", node)}}
	}
	return path, nil
}

// allow answers forbidden (audited) unless user may do action at node.
func (s *Service) allow(ctx context.Context, user string, action policy.Action, node, object string) error {
	ok, err := s.Authz.Can(user, action, node)
	if err != nil {
		return err
	}
	if !ok {
		s.audit(ctx, user, string(action), node, object, auditDenied, "")
		return errForbidden
	}
	return nil
}

// Board is the supervision board of DESIGN.md rule 4 for user: overdue, at risk and unacknowledged
// cases, most urgent first, under node (which user must supervise) or under every node where user
// holds supervision.read; at most limit per list.
func (s *Service) Board(ctx context.Context, user, node string, limit int) (store.SupervisionQueue, error) {
	scope := store.ReadScope{User: user}
	if node != "" {
		path, err := s.nodePath("node", node)
		if err != nil {
			return store.SupervisionQueue{}, err
		}
		if err := s.allow(ctx, user, policy.ActionSupervisionRead, node, "supervision/queue"); err != nil {
			return store.SupervisionQueue{}, err
		}
		scope.Subtrees = []string{path}
	} else {
		scope.Subtrees = s.SupervisedSubtrees(user)
	}
	if len(scope.Subtrees) == 0 {
		s.audit(ctx, user, string(policy.ActionSupervisionRead), "", "supervision/queue", auditDenied, "no supervising role")
		return store.SupervisionQueue{}, fengqiao.Errorf(fengqiao.ECodeForbidden, "only supervisors see the supervision board")
	}
	q, err := s.DB.Supervision(ctx, scope, limit)
	return s.openBoard(ctx, q), err
}

// SupervisedSubtrees are the paths of the nodes where user holds supervision.read ("/" for Global).
func (s *Service) SupervisedSubtrees(user string) []string {
	var out []string
	for _, g := range s.Authz.Grants(user) {
		if ok, err := s.Authz.Can(user, policy.ActionSupervisionRead, g.Node); err != nil || !ok {
			continue
		}
		if g.Node == policy.Global {
			return []string{"/"}
		}
		if path, known := s.Authz.PathOf(g.Node); known {
			out = append(out, path)
		}
	}
	return out
}

// Stats are the figures of DESIGN.md for the cases located under node (the whole tree when empty)
// opened in [from, to), for a user who may read statistics there.
func (s *Service) Stats(ctx context.Context, user, node string, from, to time.Time) (store.Stats, error) {
	path, at := "/", policy.Global
	if node != "" {
		p, err := s.nodePath("node", node)
		if err != nil {
			return store.Stats{}, err
		}
		path, at = p, node
	}
	if to.Before(from) {
		return store.Stats{}, &fengqiao.Error{Code: fengqiao.ECodeInvalid, Message: "to must not be before from",
			Fields: []fengqiao.FieldError{{Field: "to", Message: "must not be before from"}}}
	}
	if err := s.allow(ctx, user, policy.ActionStatsRead, at, "stats"); err != nil {
		return store.Stats{}, err
	}
	st, err := s.DB.CaseStats(ctx, path, from, to)
	if err != nil {
		return st, err
	}
	st.Risks, err = s.riskFigures(ctx, path, from, to)
	return st, err
}

// distinct keeps the first of each id, in order.
func distinct(ids []string) []string {
	seen := make(map[string]bool, len(ids))
	out := ids[:0:0]
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

// namedCoMediator reports whether username is the mediator a co-body taking part in the case named.
func namedCoMediator(v View, username string) bool {
	for _, c := range v.CoBodies {
		if c.Active() && c.Mediator == username {
			return true
		}
	}
	return false
}
