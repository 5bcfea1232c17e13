package cases

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"fengqiao"
	"fengqiao/activities"
	"fengqiao/deadline"
	"fengqiao/internal/ratelimit"
	"fengqiao/policy"
	"fengqiao/secret"
	"fengqiao/store"
	"fengqiao/workflows"
)

// Actor is who acts and under which grant (the API has authorized it).
type Actor = workflows.Actor

// View is a case as the API shows it (the API masks the parties and adds allowed_actions).
type View = workflows.CaseView

// Service opens cases and acts on them. The HTTP layer is a thin shell over it.
type Service struct {
	DB       *store.DB
	Temporal client.Client
	Keys     *secret.Keyring
	// Policy is the current policy: new cases start with it and keep it (policy versions).
	Policy deadline.Policy
	Logger *slog.Logger
	// Prefixes maps a county (or city) code to its case number prefix, e.g. "330203" → "HS"; a county
	// without one numbers its cases with its code.
	Prefixes map[string]string
	// HistoryLimit, when set, forces continue-as-new after that many history events (tests).
	HistoryLimit int
	// Calendar, when set, counts working days for new cases instead of Calendars (tests pin one).
	Calendar *deadline.Calendar
	// Calendars is the calendar administrators keep (stored years over the built-in ones, the statutory
	// stand-in for other years): new cases start with it, PutCalendar saves to it. Nil with Calendar nil
	// uses the built-in calendar (deadline.DefaultCalendar).
	Calendars *activities.Calendars

	// Authz decides who may do what on which case (the use cases of staff.go authorize through it).
	Authz *policy.Authorizer

	// Bodies is the body directory: the petition track resolves the agency a petition is forwarded to
	// and its superiors in it; the dispute tracks a co-body, a hand-off, a notary, the competent court.
	// nil looks them up in DB.
	Bodies fengqiao.BodyDirectory

	// AttachmentDir, when set, is the folder attachments are stored in (<dir>/<case>/<id>, sealed);
	// without it their sealed content is kept in the database.
	AttachmentDir string

	limitsOnce sync.Once
	limits     publicLimits
}

// PartyInput is a party as the intake form gives it: a person (kind "person" or empty) with name, ID
// number, phone, gender, ethnicity, birth date and address, or an organisation (kind "organization")
// with name, unified social credit code, representative and their title, address and phone.
type PartyInput struct {
	fengqiao.Party
	// Side is the side a representative speaks for: applicant (the default) or respondent (NMR 20).
	Side fengqiao.PartyRole `json:"side,omitempty"`
}

// Normalized is the party as the workflow keeps it: trimmed, the ID number and credit code normalised, the
// ethnicity written as GB/T 3304 writes it, and a person's gender taken from the ID number when the
// clerk left it out.
func (p PartyInput) Normalized() fengqiao.Party {
	out := fengqiao.Party{Role: p.Role, Kind: p.Kind, Name: strings.TrimSpace(p.Name),
		IDNumber: fengqiao.NormalizeIDNumber(p.IDNumber), Phone: strings.TrimSpace(p.Phone), Gender: p.Gender,
		BirthDate: strings.TrimSpace(p.BirthDate), Address: strings.TrimSpace(p.Address),
		CreditCode: fengqiao.NormalizeCreditCode(p.CreditCode), Representative: strings.TrimSpace(p.Representative),
		RepresentativeTitle: strings.TrimSpace(p.RepresentativeTitle)}
	out.Ethnicity, _ = fengqiao.NormalizeEthnicity(p.Ethnicity)
	if out.Kind == fengqiao.PartyPerson {
		out.Kind = "" // a person is the default kind: stored and carried as before organisations
	}
	if !out.Organization() && out.Gender == "" {
		out.Gender = fengqiao.GenderOfIDNumber(out.IDNumber)
	}
	return out
}

// validate checks one party; f is its field prefix ("parties[1].").
func (p PartyInput) validate(v *fengqiao.Validation, f string, now time.Time) {
	v.Check(p.Role.Valid(), f+"role", "must be applicant, respondent or representative")
	v.Check(p.Kind.Valid(), f+"kind", "must be person or organization")
	v.Check(strings.TrimSpace(p.Name) != "" && len(p.Name) <= 200, f+"name", "is required")
	v.Check(len(p.Address) <= 500, f+"address", "is at most 500 bytes")
	if p.Phone != "" {
		v.Check(fengqiao.ValidPhone(p.Phone), f+"phone", "must be a mobile or fixed-line number")
	}
	if p.Kind == fengqiao.PartyOrganization {
		cc := fengqiao.NormalizeCreditCode(p.CreditCode)
		if p.Role == fengqiao.PartyApplicant || cc != "" {
			v.Check(fengqiao.ValidCreditCode(cc), f+"credit_code", "must be a valid 18-character unified social credit code (GB 32100-2015)")
		}
		if p.Role == fengqiao.PartyApplicant {
			v.Check(strings.TrimSpace(p.Representative) != "", f+"representative", "is required for an organisation (法定代表人或主要负责人)")
		}
		v.Check(len(p.Representative) <= 200, f+"representative", "is at most 200 bytes")
		v.Check(len(p.RepresentativeTitle) <= 100, f+"representative_title", "is at most 100 bytes")
		v.Check(p.IDNumber == "", f+"id_number", "must be empty for an organisation (give credit_code)")
		v.Check(p.Gender == "", f+"gender", "must be empty for an organisation")
		v.Check(p.Ethnicity == "", f+"ethnicity", "must be empty for an organisation")
		v.Check(p.BirthDate == "", f+"birth_date", "must be empty for an organisation")
		return
	}
	id := fengqiao.NormalizeIDNumber(p.IDNumber)
	if p.Role == fengqiao.PartyApplicant || p.IDNumber != "" {
		v.Check(fengqiao.ValidIDNumber(id), f+"id_number", "must be a valid 18-digit resident ID number")
	}
	v.Check(p.CreditCode == "", f+"credit_code", "must be empty for a person")
	v.Check(p.Representative == "" && p.RepresentativeTitle == "", f+"representative", "must be empty for a person")
	if v.Check(p.Gender.Valid(), f+"gender", "must be male or female"); p.Gender != "" && fengqiao.ValidIDNumber(id) {
		v.Check(p.Gender == fengqiao.GenderOfIDNumber(id), f+"gender", "does not match the ID number")
	}
	if p.Ethnicity != "" {
		_, ok := fengqiao.NormalizeEthnicity(p.Ethnicity)
		v.Check(ok, f+"ethnicity", "must be one of the 56 ethnic groups, e.g. 汉族")
	}
	if b := strings.TrimSpace(p.BirthDate); b != "" {
		if v.Check(fengqiao.ValidBirthDate(b, now), f+"birth_date", "must be a past date YYYY-MM-DD"); fengqiao.ValidBirthDate(b, now) && fengqiao.ValidIDNumber(id) {
			v.Check(b == fengqiao.BirthDateOfIDNumber(id), f+"birth_date", "does not match the ID number")
		}
	}
}

// OpenRequest is the body of POST /api/v1/cases.
type OpenRequest struct {
	Kind     fengqiao.Kind    `json:"kind"`
	Channel  fengqiao.Channel `json:"channel"`
	Category string           `json:"category"`
	Summary  string           `json:"summary"`
	// Address is where the dispute arose (纠纷发生地); Request the applicant's request (请求事项).
	Address        string            `json:"address,omitempty"`
	Request        string            `json:"request,omitempty"`
	Location       string            `json:"location"`
	Parties        []PartyInput      `json:"parties"`
	ResolvedOnSpot *workflows.OnSpot `json:"resolved_on_spot"`
	// Court is, for a court_referral, the court that entrusts the dispute (委派调解); CourtCaseNo its
	// pre-filing number.
	Court       string `json:"court,omitempty"`
	CourtCaseNo string `json:"court_case_no,omitempty"`
}

func (s *Service) log() *slog.Logger {
	if s.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return s.Logger
}

// Validate checks an intake: kind, channel, category, summary, location, and the parties — at least one
// applicant with a valid 18-digit ID number (GB 11643), valid phones, at most 5 representatives on each
// side (NMR 20: 当事人一方人数众多的，可以推选代表人，代表人数不超过5人; XGTL 20 for a petition); a court
// referral names its court.
func (r OpenRequest) Validate() error {
	var v fengqiao.Validation
	v.Check(r.Kind.Valid(), "kind", "must be dispute, petition or court_referral")
	v.Check(r.Channel.Valid(), "channel", "must be one of visit, letter, phone, online, patrol, referral")
	v.Check(fengqiao.ValidCategory(r.Category), "category", "is not a known category")
	v.Check(strings.TrimSpace(r.Summary) != "" && len(r.Summary) <= 4000, "summary", "is required (at most 4000 bytes)")
	v.Check(fengqiao.ValidNodeCode(r.Location), "location", "must be a jurisdiction code")
	v.Check(len(r.Address) <= 500, "address", "is at most 500 bytes")
	v.Check(len(r.Request) <= 4000, "request", "is at most 4000 bytes")
	applicants, reps := 0, map[fengqiao.PartyRole]int{}
	now := time.Now()
	for i, p := range r.Parties {
		f := fmt.Sprintf("parties[%d].", i)
		p.validate(&v, f, now)
		if p.Role == fengqiao.PartyApplicant {
			applicants++
		}
		if p.Role == fengqiao.PartyRepresentative {
			side := p.Side
			if side == "" {
				side = fengqiao.PartyApplicant
			}
			v.Check(side == fengqiao.PartyApplicant || side == fengqiao.PartyRespondent, f+"side", "must be applicant or respondent")
			reps[side]++
			if reps[side] == 6 {
				v.Check(false, f+"role", "代表人每方不超过5人 / at most 5 representatives on the %s side (NMR 20)", side)
			}
		} else if p.Side != "" {
			v.Check(false, f+"side", "is for a representative only")
		}
	}
	v.Check(applicants > 0, "parties", "need at least one applicant")
	if r.Kind == fengqiao.KindCourtReferral {
		v.Check(strings.TrimSpace(r.Court) != "", "court", "is required: the court that entrusts the dispute to mediation")
		v.Check(r.ResolvedOnSpot == nil, "resolved_on_spot", "a court referral is not resolved on the spot")
	}
	if r.ResolvedOnSpot != nil {
		v.Check(strings.TrimSpace(r.ResolvedOnSpot.Outcome) != "", "resolved_on_spot.outcome", "is required")
	}
	return v.Err()
}

// MatterKeys are the keys of "one case per matter" (rule 3): for each applicant, an HMAC of the
// normalised ID number, the category and the respondent (ID number, else name) or, without a
// respondent, the location. They hold no personal data in clear. The track is part of the matter: a
// petition's keys carry the prefix "petition:" (MatterTrackPrefix), so that a petition made final after
// 复核 (XGTL 36) never blocks a people's mediation of the same parties, and an open dispute does not
// swallow a petition. A dispute's keys are as they always were (its running cases keep them).
func (s *Service) MatterKeys(r OpenRequest) []string {
	other := "location:" + r.Location
	for _, p := range r.Parties {
		if p.Role != fengqiao.PartyRespondent {
			continue
		}
		if p.IDNumber != "" {
			other = "respondent-id:" + fengqiao.NormalizeIDNumber(p.IDNumber)
		} else if cc := fengqiao.NormalizeCreditCode(p.CreditCode); cc != "" {
			other = "respondent-org:" + cc
		} else {
			other = "respondent-name:" + strings.Join(strings.Fields(p.Name), "")
		}
		break
	}
	var keys []string
	seen := map[string]bool{}
	for _, p := range r.Parties {
		if p.Role != fengqiao.PartyApplicant {
			continue
		}
		who := fengqiao.NormalizeIDNumber(p.IDNumber)
		if p.Kind == fengqiao.PartyOrganization {
			who = "org:" + fengqiao.NormalizeCreditCode(p.CreditCode)
		}
		k := MatterTrackPrefix(r.Kind) + s.Keys.Hash("matter", who+"|"+r.Category+"|"+other)
		if !seen[k] {
			seen[k] = true
			keys = append(keys, k)
		}
	}
	return keys
}

// Open registers a case (rule 1): it reserves the matter (rule 3) and inserts the case row in one
// transaction, then starts the case workflow. A matter that already has an open case returns that case
// with a duplicate_open_case error naming it; a matter closed after 复核 is refused (XGTL 36). created
// reports whether a new case was opened.
func (s *Service) Open(ctx context.Context, actor Actor, in OpenRequest) (View, bool, error) {
	if err := in.Validate(); err != nil {
		return View{}, false, err
	}
	chain, err := activities.ResolveChain(ctx, s.DB, in.Location)
	if errors.Is(err, store.ErrNotFound) {
		return View{}, false, &fengqiao.Error{Code: fengqiao.ECodeInvalid, Message: "location: no such jurisdiction",
			Fields: []fengqiao.FieldError{fengqiao.FieldErrorf("location", "no such jurisdiction %s", in.Location)}}
	}
	if err != nil {
		return View{}, false, fmt.Errorf("cases: location: %w", err)
	}
	if _, ok := workflows.LowestMediationTier(chain); !ok {
		return View{}, false, &fengqiao.Error{Code: fengqiao.ECodeInvalid, Message: "location: no tier with mediation power covers it",
			Fields: []fengqiao.FieldError{fengqiao.FieldErrorf("location", "no village, township, county or city covers %s", in.Location)}}
	}
	route, ladder, err := s.routeCase(ctx, in.Kind, in.Category, in.Channel, len(in.Parties), chain, actor.Node)
	if err != nil {
		return View{}, false, err // before the transaction: no case, no matter reserved
	}
	loc := chain[len(chain)-1]
	prefix := s.prefix(chain)
	keys := s.MatterKeys(in)
	start := workflows.StartInput{Intake: workflows.Intake{Kind: in.Kind, Category: in.Category, Channel: in.Channel,
		Summary: strings.TrimSpace(in.Summary), Address: strings.TrimSpace(in.Address), Request: strings.TrimSpace(in.Request),
		Location: in.Location, FirstContact: actor, MatterKeys: keys,
		OpenedAt: time.Now().UTC().Truncate(time.Second), Policy: s.Policy, HistoryLimit: s.HistoryLimit},
		ResolvedOnSpot: in.ResolvedOnSpot, Route: route}
	if route != nil {
		chain = ladder
	}
	for _, p := range in.Parties {
		start.Parties = append(start.Parties, p.Normalized())
	}
	if in.Kind == fengqiao.KindCourtReferral {
		court, err := s.referralCourt(ctx, in.Court)
		if err != nil {
			return View{}, false, err
		}
		start.Channel = fengqiao.ChannelReferral
		start.Referral = &workflows.Referral{Court: court, CourtCaseNo: strings.TrimSpace(in.CourtCaseNo), Officer: actor.Username}
	}
	if start.Arbitration, err = s.arbitrationFor(ctx, in.Category, chain); err != nil {
		return View{}, false, fmt.Errorf("cases: arbitration body: %w", err)
	}
	if err := s.checkStart(start, chain); err != nil {
		return View{}, false, err // before the transaction: nothing is reserved or written
	}
	if err := s.intakeRiskFacts(ctx, &start); err != nil {
		return View{}, false, err
	}
	var row store.CaseRow
	for attempt := 0; ; attempt++ {
		start.CaseID, start.QueryCode = randomCode(20, idAlphabet), randomCode(12, queryAlphabet)
		row = store.CaseRow{Case: fengqiao.Case{ID: start.CaseID, QueryCode: start.QueryCode, WorkflowID: workflows.WorkflowID(start.CaseID),
			Kind: string(in.Kind), Category: in.Category, Channel: string(start.Channel), Summary: start.Summary,
			Address: start.Address, Request: start.Request,
			Status: string(fengqiao.StatusRegistered), Location: in.Location, LocationPath: loc.Path,
			FirstContactUser: actor.Username, FirstContactNode: actor.Node, Visits: 1, OpenedAt: start.OpenedAt,
			PolicyVersion: s.Policy.Version}}
		if err := row.Seal(s.Keys); err != nil {
			return View{}, false, fmt.Errorf("cases: open: %w", err)
		}
		row.IntakeEnc, err = s.sealIntake(start)
		if err != nil {
			return View{}, false, err
		}
		row, err = s.DB.CreateCase(ctx, row, prefix, keys)
		if err == nil || !errors.Is(err, store.ErrDuplicate) || attempt >= 3 {
			break // a duplicate id or query code (random) is retried
		}
	}
	var taken *store.ErrMatterTaken
	if errors.As(err, &taken) {
		if taken.Final {
			return View{}, false, &fengqiao.Error{Code: fengqiao.ECodeFinalAfterReview,
				Message: "this matter was reviewed (复核) and is final: it is not accepted again (XGTL 36)",
				Details: map[string]string{"existing_case_id": taken.CaseID}}
		}
		v, gerr := s.ensureStarted(ctx, taken.CaseID)
		if gerr != nil {
			return View{}, false, gerr
		}
		if skipLevel(actor, v) {
			fe := fengqiao.Errorf(fengqiao.ECodeDuplicateCase,
				"越级：this matter is handled at %s within its deadline; it stays there: record this visit on it (XGTL 19)", v.HandlingNode)
			fe.Details = map[string]string{"existing_case_id": taken.CaseID, "skip_level": "true"}
			return v, false, fe
		}
		return v, false, &fengqiao.Error{Code: fengqiao.ECodeDuplicateCase,
			Message: "this matter already has an open case: record the visit on it (最多跑一次)",
			Details: map[string]string{"existing_case_id": taken.CaseID}}
	}
	if err != nil {
		return View{}, false, fmt.Errorf("cases: open: %w", err)
	}
	start.Number = row.Number
	start.Chain = chain
	v, err := s.start(ctx, start)
	return v, err == nil, err
}

// prefix is the case number prefix of the county (or city) a location's chain lies in.
func (s *Service) prefix(chain []fengqiao.ChainNode) string {
	pick := chain[0].Code
	for _, n := range chain {
		if n.Tier == fengqiao.TierCounty {
			pick = n.Code
			break
		}
	}
	if p, ok := s.Prefixes[pick]; ok {
		return p
	}
	return pick
}

func (s *Service) sealIntake(in workflows.StartInput) ([]byte, error) {
	b, err := json.Marshal(in)
	if err != nil {
		return nil, fmt.Errorf("cases: encode intake: %w", err)
	}
	enc, err := s.Keys.Seal(b, []byte("case/"+in.CaseID+"/intake"))
	if err != nil {
		return nil, fmt.Errorf("cases: seal intake: %w", err)
	}
	return enc, nil
}

// start starts the case workflow and returns the case after its first step, in one round trip: the
// start carries the view update (Update-with-Start), which the workflow answers in its first task, after
// the case is routed and projected. USE_EXISTING makes a retry after a crash between the database
// transaction and the start safe: the update then reads the running case. A case whose workflow has
// already ended is read from the projection.
func (s *Service) start(ctx context.Context, in workflows.StartInput) (View, error) {
	if in.Chain == nil {
		chain, err := activities.ResolveChain(ctx, s.DB, in.Location)
		if err != nil {
			return View{}, fmt.Errorf("cases: location of %s: %w", in.CaseID, err)
		}
		in.Chain = chain
	}
	if in.Calendar == nil {
		in.Calendar = s.calendar()
	}
	op := s.Temporal.NewWithStartWorkflowOperation(client.StartWorkflowOptions{
		ID:                       workflows.WorkflowID(in.CaseID),
		TaskQueue:                workflows.TaskQueue,
		WorkflowIDConflictPolicy: enumspb.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING,
		WorkflowIDReusePolicy:    enumspb.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE,
	}, workflows.WorkflowType, in)
	h, err := s.Temporal.UpdateWithStartWorkflow(ctx, client.UpdateWithStartWorkflowOptions{
		StartWorkflowOperation: op,
		UpdateOptions: client.UpdateWorkflowOptions{WorkflowID: workflows.WorkflowID(in.CaseID),
			UpdateName: workflows.UpdateView, WaitForStage: client.WorkflowUpdateStageCompleted},
	})
	var v View
	if err == nil {
		err = h.Get(ctx, &v)
	}
	var already *serviceerror.WorkflowExecutionAlreadyStarted
	if errors.As(err, &already) {
		return s.fromProjection(ctx, in.CaseID, err) // the case's workflow ran and finished
	}
	if err != nil {
		return View{}, fmt.Errorf("cases: start workflow of %s: %w", in.CaseID, err)
	}
	return v, nil
}

// calendar is the holiday calendar new cases count working days with: Calendar, else what Calendars
// holds (read again at most once a minute), else the built-in calendar. A failed first read of the
// stored years counts on the built-in calendar and logs why.
func (s *Service) calendar() *deadline.Calendar {
	if s.Calendar != nil {
		return s.Calendar
	}
	if s.Calendars != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		cal, err := s.Calendars.Get(ctx)
		if err == nil {
			return cal
		}
		s.log().Error("stored holiday calendar not read: counting on the built-in one", "error", err)
	}
	return deadline.DefaultCalendar()
}

// ensureStarted starts the workflow of a case whose row exists (a crash may have come between the
// transaction and the start) and returns its view.
func (s *Service) ensureStarted(ctx context.Context, caseID string) (View, error) {
	if v, err := s.query(ctx, caseID); err == nil {
		return v, nil
	}
	row, err := s.DB.Case(ctx, caseID)
	if err != nil {
		return View{}, fmt.Errorf("cases: existing case %s: %w", caseID, err)
	}
	if len(row.IntakeEnc) == 0 || row.UpdatedSeq > 0 {
		return s.Get(ctx, caseID)
	}
	b, err := s.Keys.Open(row.IntakeEnc, []byte("case/"+caseID+"/intake"))
	if err != nil {
		return View{}, fmt.Errorf("cases: open intake: %w", err)
	}
	var in workflows.StartInput
	if err := json.Unmarshal(b, &in); err != nil {
		return View{}, fmt.Errorf("cases: decode intake: %w", err)
	}
	in.Number = row.Number
	return s.start(ctx, in)
}

func (s *Service) query(ctx context.Context, caseID string) (View, error) {
	val, err := s.Temporal.QueryWorkflow(ctx, workflows.WorkflowID(caseID), "", workflows.QueryState)
	if err != nil {
		return View{}, err
	}
	var v View
	if err := val.Get(&v); err != nil {
		return View{}, fmt.Errorf("cases: decode view: %w", err)
	}
	return v, nil
}

// Get returns the case: from its workflow, or from the projection when the workflow is gone.
func (s *Service) Get(ctx context.Context, caseID string) (View, error) {
	v, err := s.query(ctx, caseID)
	if err == nil {
		return v, nil
	}
	return s.fromProjection(ctx, caseID, err)
}

func (s *Service) fromProjection(ctx context.Context, caseID string, cause error) (View, error) {
	row, err := s.DB.Case(ctx, caseID)
	if errors.Is(err, store.ErrNotFound) {
		return View{}, fengqiao.Errorf(fengqiao.ECodeNotFound, "no case %s", caseID)
	}
	if err != nil {
		return View{}, fmt.Errorf("cases: get %s: %w (workflow: %v)", caseID, err, cause)
	}
	s.openCase(ctx, &row)
	parties, err := s.DB.CaseParties(ctx, caseID)
	if err != nil {
		return View{}, err
	}
	v := View{ID: row.ID, Number: row.Number, QueryCode: row.QueryCode, Kind: fengqiao.Kind(row.Kind),
		Category: row.Category, Channel: fengqiao.Channel(row.Channel), Summary: row.Summary,
		Address: row.Address, Request: row.Request,
		Status: fengqiao.Status(row.Status), Tier: fengqiao.Tier(row.Tier), HandlingNode: row.HandlingNode,
		HandlingPath: row.HandlingPath, Location: row.Location, LocationPath: row.LocationPath,
		FirstContact: workflows.Person{User: row.FirstContactUser, Node: row.FirstContactNode},
		Visits:       row.Visits, OneVisitBreach: row.OneVisitBreach, Unacknowledged: row.Unacknowledged,
		EscalatedAt: row.EscalatedAt, AcknowledgedAt: row.AcknowledgedAt, Outcome: row.Outcome,
		ResolvedTier: fengqiao.Tier(row.ResolvedTier), OpenedAt: row.OpenedAt, ClosedAt: row.ClosedAt,
		Satisfaction: row.Satisfaction, Final: row.Final, PolicyVersion: row.PolicyVersion, Seq: row.UpdatedSeq,
		NextActions: []string{}}
	if row.Assignee != "" {
		a := row.Assignee
		v.Assignee = &a
	}
	v.CoBodies = []workflows.CoBody{}
	if row.HandlingBody != "" {
		v.HandlingBody = &fengqiao.BodyRef{Code: row.HandlingBody, Name: row.HandlingBodyName,
			Type: fengqiao.BodyType(row.HandlingBodyType), Node: row.HandlingNode}
	}
	v.Deadlines.Tier = workflows.Clock{DueAt: row.TierDueAt, Paused: row.Paused, AtRisk: row.AtRisk, Overdue: row.Overdue}
	v.Deadlines.Statutory = workflows.Clock{DueAt: row.StatutoryDueAt, Paused: row.Paused}
	for _, pr := range parties {
		p, err := activities.OpenParty(s.Keys, pr)
		if err != nil {
			return View{}, fmt.Errorf("cases: party of %s: %w", caseID, err)
		}
		v.Parties = append(v.Parties, p)
	}
	return v, nil
}

// Act performs an action (an update named in workflows.ActionNames) on a case and returns the case as it
// stands after it. args is the action's body: a json.RawMessage (decoded strictly into the action's
// argument type) or the typed argument itself. A refusal comes back as *fengqiao.Error.
func (s *Service) Act(ctx context.Context, actor Actor, caseID, action string, args any) (View, error) {
	return s.ActOnce(ctx, actor, caseID, action, args, "")
}

// ActOnce is Act with an update id: the workflow applies an update id at most once and answers a
// repeat with the first outcome, so a client's retry (same Idempotency-Key) after a crash or a lost
// answer never acts twice — a second recorded visit would wrongly mark a one-visit breach. An empty
// updateID lets Temporal choose one.
func (s *Service) ActOnce(ctx context.Context, actor Actor, caseID, action string, args any, updateID string) (View, error) {
	typed := workflows.NewArgs(action)
	if typed == nil {
		return View{}, fengqiao.Errorf(fengqiao.ECodeNotFound, "no action %q", action)
	}
	switch a := args.(type) {
	case json.RawMessage:
		if len(bytes.TrimSpace(a)) > 0 {
			dec := json.NewDecoder(bytes.NewReader(a))
			dec.DisallowUnknownFields()
			if err := dec.Decode(typed); err != nil {
				return View{}, fengqiao.Errorf(fengqiao.ECodeMalformed, "the body of %s is not valid: %v", action, err)
			}
		}
	case nil:
	default:
		typed = a
	}
	if err := s.resolvePetitionArgs(ctx, typed); err != nil {
		return View{}, err
	}
	h, err := s.Temporal.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{
		UpdateID:     updateID,
		WorkflowID:   workflows.WorkflowID(caseID),
		UpdateName:   action,
		Args:         []any{actor, typed},
		WaitForStage: client.WorkflowUpdateStageCompleted,
	})
	if err != nil {
		return View{}, s.mapErr(caseID, action, err)
	}
	var v View
	if err := h.Get(ctx, &v); err != nil {
		return View{}, s.mapErr(caseID, action, err)
	}
	s.writeStep(ctx, &v)
	return v, nil
}

// writeStep writes the step an action's answer carries (committed: Temporal answers an update only
// once it is in the history) to the projection, so that the lists and the pages read next show it, and
// takes it off the view. A failed write is only logged: the projection activity writes the same step
// right behind it.
func (s *Service) writeStep(ctx context.Context, v *View) {
	st := v.Step
	v.Step = nil
	if st == nil {
		return
	}
	if err := activities.WriteStep(ctx, s.DB, s.Keys, s.calendar(), *st); err != nil {
		s.log().Warn("step not written from the answer; the projection activity writes it", "case", v.ID, "error", err)
	}
}

// RecordVisit records a repeat contact on the case (rule 3).
func (s *Service) RecordVisit(ctx context.Context, actor Actor, caseID string, in workflows.VisitArgs) (View, error) {
	return s.Act(ctx, actor, caseID, workflows.UpdateVisit, &in)
}

// Public returns the case behind a query code for the party who knows the last four digits of an
// applicant's phone; anything else is not found. addr is the caller's address: public calls are
// limited per address, and wrong digits are counted per code and address (see partyCase).
func (s *Service) Public(ctx context.Context, addr, queryCode, phoneLast4 string) (View, error) {
	row, err := s.partyCase(ctx, addr, queryCode, phoneLast4)
	if err != nil {
		return View{}, err
	}
	return s.Get(ctx, row.ID)
}

// Rate records the party's rating through the query code (rule 8).
func (s *Service) Rate(ctx context.Context, addr, queryCode, phoneLast4 string, in workflows.RatingArgs) (View, error) {
	var v fengqiao.Validation
	v.Check(in.Score >= 1 && in.Score <= 5, "score", "must be 1 to 5")
	v.Check(utf8.RuneCountInString(in.Comment) <= 500, "comment", "must be at most 500 characters")
	if err := v.Err(); err != nil {
		return View{}, err
	}
	row, err := s.partyCase(ctx, addr, queryCode, phoneLast4)
	if err != nil {
		return View{}, err
	}
	return s.Act(ctx, Actor{Username: "party"}, row.ID, workflows.UpdateRating, &in)
}

// GuessLimit is how many wrong phone digits one address may give for one query code before it must
// wait: five, then one more every 12 minutes. Four digits are 10,000 guesses, so a code cannot be
// opened by trying from one address; CodeGuessLimit wrong digits from all addresses together lock
// the code for every address that has guessed wrong, while an address that has not (its owner's)
// still gets through with the right digits, so nobody can lock a party out of their own case.
const (
	GuessLimit     = 5
	CodeGuessLimit = 20
)

// publicLimits are the throttles of the public query: calls per address, wrong digits per code and
// address, and wrong digits per code. Per process (behind a load balancer each serve counts for
// itself, which bounds guessing all the same).
type publicLimits struct {
	addr, pair, code *ratelimit.Keyed
}

func (s *Service) publicLimits() *publicLimits {
	s.limitsOnce.Do(func() {
		s.limits = publicLimits{
			addr: ratelimit.New(time.Second, 30), // 60 a minute after a burst of 30
			pair: ratelimit.New(12*time.Minute, GuessLimit),
			code: ratelimit.New(12*time.Minute, CodeGuessLimit),
		}
	})
	return &s.limits
}

var errLocked = fengqiao.Errorf(fengqiao.ECodeRateLimited, "too many wrong attempts for this query code; try again later")

// partyCase finds the case of a query code whose applicant's phone ends in phoneLast4, for a caller at
// addr. Wrong digits count against the code and the address; an address out of guesses is refused even
// with the right digits.
func (s *Service) partyCase(ctx context.Context, addr, queryCode, phoneLast4 string) (store.CaseRow, error) {
	l := s.publicLimits()
	if ok, wait := l.addr.Allow(addr); !ok {
		return store.CaseRow{}, ratelimit.Error(wait, "too many queries; try again shortly")
	}
	if len(phoneLast4) != 4 || strings.Trim(phoneLast4, "0123456789") != "" {
		return store.CaseRow{}, &fengqiao.Error{Code: fengqiao.ECodeInvalid, Message: "phone_last4 must be the last four digits of your phone",
			Fields: []fengqiao.FieldError{{Field: "phone_last4", Message: "must be four digits"}}}
	}
	code := strings.ToUpper(strings.TrimSpace(queryCode))
	pair := code + "\x00" + addr
	if spent, wait := l.pair.Spent(pair); spent {
		return store.CaseRow{}, ratelimit.Error(wait, errLocked.Message)
	}
	if spent, wait := l.code.Spent(code); spent && !l.pair.Untouched(pair) {
		return store.CaseRow{}, ratelimit.Error(wait, errLocked.Message)
	}
	row, err := s.matchParty(ctx, code, phoneLast4)
	if fengqiao.ErrorCode(err) == fengqiao.ECodeNotFound {
		l.pair.Take(pair)
		l.code.Take(code)
	}
	return row, err
}

func (s *Service) matchParty(ctx context.Context, queryCode, phoneLast4 string) (store.CaseRow, error) {
	notFound := fengqiao.Errorf(fengqiao.ECodeNotFound, "no case with this query code and phone")
	row, err := s.DB.CaseByQueryCode(ctx, queryCode)
	if errors.Is(err, store.ErrNotFound) {
		return store.CaseRow{}, notFound
	}
	if err != nil {
		return store.CaseRow{}, fmt.Errorf("cases: query code: %w", err)
	}
	parties, err := s.DB.CaseParties(ctx, row.ID)
	if err != nil {
		return store.CaseRow{}, err
	}
	for _, pr := range parties {
		if pr.Role != string(fengqiao.PartyApplicant) || len(pr.PhoneEnc) == 0 {
			continue
		}
		p, err := activities.OpenParty(s.Keys, pr)
		if err != nil {
			return store.CaseRow{}, err
		}
		if len(phoneLast4) == 4 && strings.HasSuffix(p.Phone, phoneLast4) {
			return row, nil
		}
	}
	return store.CaseRow{}, notFound
}

// mapErr turns a workflow refusal back into the *fengqiao.Error its validator meant.
func (s *Service) mapErr(caseID, action string, err error) error {
	var ae *temporal.ApplicationError
	if errors.As(err, &ae) {
		fe := &fengqiao.Error{Code: fengqiao.Code(ae.Type()), Message: ae.Message()}
		if ae.HasDetails() {
			var fields []fengqiao.FieldError
			var r workflows.Refusal
			if ae.Details(&fields, &r) == nil {
				fe.Format, fe.Args = r.Format, r.Args
				for i := range fields {
					if i < len(r.Fields) {
						fields[i].Format, fields[i].Args = r.Fields[i].Format, r.Fields[i].Args
					}
				}
			} else if ae.Details(&fields) != nil { // a refusal without its formats
				fields = nil
			}
			fe.Fields = fields
		}
		return fe
	}
	var nf *serviceerror.NotFound
	if errors.As(err, &nf) {
		return fengqiao.Errorf(fengqiao.ECodeNotAllowed, "case %s is no longer running: its handling has ended", caseID)
	}
	s.log().Error("case action failed", "case", caseID, "action", action, "error", err)
	return fmt.Errorf("cases: %s on %s: %w", action, caseID, err)
}

const (
	idAlphabet    = "abcdefghijklmnopqrstuvwxyz0123456789"
	queryAlphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ" // no 0/O, 1/I: read aloud over the phone
)

// randomCode is n characters from alphabet drawn with crypto/rand (unbiased: rejection sampling).
func randomCode(n int, alphabet string) string {
	out := make([]byte, 0, n)
	limit := 256 - 256%len(alphabet)
	buf := make([]byte, n*2)
	for len(out) < n {
		if _, err := rand.Read(buf); err != nil {
			panic("crypto/rand: " + err.Error()) // never fails on supported platforms
		}
		for _, b := range buf {
			if int(b) < limit && len(out) < n {
				out = append(out, alphabet[int(b)%len(alphabet)])
			}
		}
	}
	return string(out)
}

// Timeline returns the case's projected timeline, in the workflow's own sequence order, the details
// opened.
func (s *Service) Timeline(ctx context.Context, caseID string) ([]store.EventRow, error) {
	if _, err := s.DB.Case(ctx, caseID); errors.Is(err, store.ErrNotFound) {
		return nil, fengqiao.Errorf(fengqiao.ECodeNotFound, "no case %s", caseID)
	}
	events, err := s.DB.CaseEvents(ctx, caseID)
	if err != nil {
		return nil, err
	}
	return s.openEvents(ctx, events), nil
}
