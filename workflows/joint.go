package workflows

import (
	"slices"
	"strings"
	"time"

	"fengqiao"
	"fengqiao/activities"
)

// Joint mediation (联合调解) and hand-off at the county centre (DESIGN.md §2, track `dispute`): the
// centre leads, co-bodies (the labour bureau, the housing bureau, a professional committee) each name a
// mediator who records their part, and all of them read the case; or the centre hands the case to a
// professional committee or an agency (行政调解) as its new handling body. The cases service resolves
// every body named here from the body directory and passes its BodyRef: the workflow does no lookups.

// CoBody is a co-handling body of a joint mediation, its mediator and the parts they recorded.
type CoBody struct {
	Body      fengqiao.BodyRef `json:"body"`
	Mediator  string           `json:"mediator,omitempty"`
	AddedAt   time.Time        `json:"added_at"`
	AddedBy   string           `json:"added_by"`
	RemovedAt *time.Time       `json:"removed_at,omitempty"`
	Parts     []JointPart      `json:"parts,omitempty"`
}

// Active reports whether the body still takes part in the mediation.
func (c CoBody) Active() bool { return c.RemovedAt == nil }

// JointPart is one part of a joint mediation a co-body's mediator recorded (their session, their
// findings, their offer).
type JointPart struct {
	At     time.Time `json:"at"`
	HeldAt time.Time `json:"held_at"`
	By     string    `json:"by"`
	Notes  string    `json:"notes"`
}

// CoBodyArgs adds or removes a co-body. Body is the body's code as the user gave it; BodyRef is the body
// the cases service resolved (zero when the code names no body).
type CoBodyArgs struct {
	Op      string           `json:"op"` // add | remove
	Body    string           `json:"body"`
	BodyRef fengqiao.BodyRef `json:"body_ref,omitempty"`
	Reason  string           `json:"reason"`
}

// CoMediatorArgs assigns the mediator of a co-body.
type CoMediatorArgs struct {
	Body     string `json:"body"`
	Mediator string `json:"mediator"`
}

// JointPartArgs is a co-body mediator's part; Body may be left empty when the mediator serves one
// co-body only.
type JointPartArgs struct {
	Body   string    `json:"body,omitempty"`
	HeldAt time.Time `json:"held_at"`
	Notes  string    `json:"notes"`
}

// HandOffArgs hands the case to another handling body (a professional committee or an agency).
type HandOffArgs struct {
	Body    string           `json:"body"`
	BodyRef fengqiao.BodyRef `json:"body_ref,omitempty"`
	Reason  string           `json:"reason"`
}

// atCountyCentre refuses an action outside a dispute mediated at the county centre (the county tier).
func atCountyCentre(s *caseState, name string) error {
	if err := all(mediates(s, name), statusIn(s, name, fengqiao.StatusRegistered, fengqiao.StatusMediating)); err != nil {
		return err
	}
	if s.tier() != fengqiao.TierCounty {
		return refuse(fengqiao.ECodeNotAllowed, "%s is done at the county centre: the case is at the %s tier", name, s.tier())
	}
	if s.HandedTo != nil {
		return refuse(fengqiao.ECodeNotAllowed, "the case was handed to %s", s.HandedTo.Name)
	}
	return nil
}

// leadOrSupervisor: a supervisor over the handling node or the lead mediator (the assignee).
func (s *caseState) leadOrSupervisor(a Actor, what string) error {
	if s.isSupervisorOver(a) || s.isAssignee(a) {
		return nil
	}
	return forbid("only a supervisor over %s or the lead mediator may %s", s.node().Code, what)
}

// coBody returns the active co-body with the code, or nil.
func (s *caseState) coBody(code string) *CoBody {
	for i := range s.CoBodies {
		if s.CoBodies[i].Body.Code == code && s.CoBodies[i].Active() {
			return &s.CoBodies[i]
		}
	}
	return nil
}

func (s *caseState) activeCoBodies() []string {
	var out []string
	for _, c := range s.CoBodies {
		if c.Active() {
			out = append(out, c.Body.Code)
		}
	}
	return out
}

// resolvedBody checks that the cases service resolved the body the user named.
func resolvedBody(field, code string, ref fengqiao.BodyRef) error {
	if err := required(field, code); err != nil {
		return err
	}
	if ref.Code != code {
		return invalidf(field, "names no body: %s", code)
	}
	return nil
}

func bodyArgs(b fengqiao.BodyRef) map[string]string {
	return map[string]string{"body": b.Code, "body_name": b.Name, "body_type": string(b.Type)}
}

// co-body: a supervisor over the county centre, or the lead mediator, brings a body into the mediation
// or lets it go (联合调解; DESIGN.md §2). A co-body mediates: a committee, a professional committee or
// an agency (行政调解), never the lead body itself.
var coBodyAction = action[CoBodyArgs]{
	name:  UpdateCoBody,
	state: func(s *caseState, now time.Time) error { return atCountyCentre(s, "co-body") },
	check: func(s *caseState, now time.Time, a Actor, in CoBodyArgs) error {
		switch in.Op {
		case "add":
			if err := resolvedBody("body", in.Body, in.BodyRef); err != nil {
				return err
			}
			switch in.BodyRef.Type {
			case fengqiao.BodyCommittee, fengqiao.BodyProfessional, fengqiao.BodyAgency:
			default:
				return invalidf("body", "a %s does not mediate jointly: name a committee, a professional committee or an agency", in.BodyRef.Type)
			}
			if in.Body == s.node().Code || (s.node().Body != nil && in.Body == s.node().Body.Code) {
				return invalid("body", "is the lead body of the mediation")
			}
			if s.coBody(in.Body) != nil {
				return invalid("body", "already takes part in the mediation")
			}
		case "remove":
			if s.coBody(in.Body) == nil {
				return invalid("body", "does not take part in the mediation")
			}
			if err := required("reason", in.Reason); err != nil {
				return err
			}
		default:
			return invalid("op", "must be add or remove")
		}
		return s.leadOrSupervisor(a, "change the co-bodies")
	},
	apply: func(s *caseState, now time.Time, a Actor, in CoBodyArgs) {
		if in.Op == "remove" {
			c := s.coBody(in.Body)
			c.RemovedAt = &now
			s.eventWith(now, "co_body_removed", a, in.Reason, bodyArgs(c.Body))
			return
		}
		s.CoBodies = append(s.CoBodies, CoBody{Body: in.BodyRef, AddedAt: now, AddedBy: a.Username})
		s.eventWith(now, "co_body_added", a, in.Reason, bodyArgs(in.BodyRef))
		s.notify("co_body", false, "联合调解 "+s.Number, "请贵单位指派调解员参加联合调解："+s.node().Name,
			s.supervisors(in.BodyRef.Code))
	},
}

// co-mediator: a supervisor or the lead mediator names the mediator of a co-body (the cases service has
// checked that the person mediates for that body).
var coMediatorAction = action[CoMediatorArgs]{
	name:  UpdateCoMediator,
	state: func(s *caseState, now time.Time) error { return atCountyCentre(s, "co-mediator") },
	check: func(s *caseState, now time.Time, a Actor, in CoMediatorArgs) error {
		if err := all(required("body", in.Body), required("mediator", in.Mediator)); err != nil {
			return err
		}
		if s.coBody(in.Body) == nil {
			return invalid("body", "does not take part in the mediation")
		}
		return s.leadOrSupervisor(a, "assign a co-body's mediator")
	},
	apply: func(s *caseState, now time.Time, a Actor, in CoMediatorArgs) {
		c := s.coBody(in.Body)
		c.Mediator = in.Mediator
		args := bodyArgs(c.Body)
		args["mediator"] = in.Mediator
		s.eventWith(now, "co_mediator_assigned", a, "", args)
		s.notify("assigned", false, "联合调解 "+s.Number, "您被指派代表"+c.Body.Name+"参加联合调解",
			activities.Recipient{User: in.Mediator})
	},
}

// joint-part: a co-body's mediator records their part of the joint mediation; the case shows the parts
// per body.
var jointPartAction = action[JointPartArgs]{
	name: UpdateJointPart,
	state: func(s *caseState, now time.Time) error {
		if err := all(mediates(s, "joint-part"), statusIn(s, "joint-part", fengqiao.StatusMediating)); err != nil {
			return err
		}
		if len(s.activeCoBodies()) == 0 {
			return refuse(fengqiao.ECodeNotAllowed, "the case is not mediated jointly")
		}
		return nil
	},
	check: func(s *caseState, now time.Time, a Actor, in JointPartArgs) error {
		if err := required("notes", in.Notes); err != nil {
			return err
		}
		if in.Body != "" && s.coBody(in.Body) == nil {
			return invalid("body", "does not take part in the mediation")
		}
		if s.partBody(a, in.Body) == nil {
			return forbid("only the mediator a co-body named records that body's part")
		}
		return nil
	},
	apply: func(s *caseState, now time.Time, a Actor, in JointPartArgs) {
		c := s.partBody(a, in.Body)
		held := in.HeldAt
		if held.IsZero() {
			held = now
		}
		c.Parts = append(c.Parts, JointPart{At: now, HeldAt: held, By: a.Username, Notes: in.Notes})
		args := bodyArgs(c.Body)
		args["held_at"] = held.Format(time.RFC3339)
		s.eventWith(now, "joint_part", a, in.Notes, args)
	},
}

// partBody is the active co-body whose mediator is a (the one named by code, when given).
func (s *caseState) partBody(a Actor, code string) *CoBody {
	for i := range s.CoBodies {
		c := &s.CoBodies[i]
		if c.Active() && c.Mediator != "" && c.Mediator == a.Username && (code == "" || c.Body.Code == code) {
			return c
		}
	}
	return nil
}

// hand-off: a supervisor over the county centre hands the case to a professional committee or an agency
// (行政调解), which becomes its handling body; the tier clock restarts, the mediator is released and the
// joint mediation ends (DESIGN.md §2).
var handOffAction = action[HandOffArgs]{
	name:  UpdateHandOff,
	state: func(s *caseState, now time.Time) error { return atCountyCentre(s, "hand-off") },
	check: func(s *caseState, now time.Time, a Actor, in HandOffArgs) error {
		if err := all(resolvedBody("body", in.Body, in.BodyRef), required("reason", in.Reason)); err != nil {
			return err
		}
		if t := in.BodyRef.Type; t != fengqiao.BodyProfessional && t != fengqiao.BodyAgency {
			return invalidf("body", "the county centre hands a case to a professional committee or an agency, not to a %s", t)
		}
		if !s.isSupervisorOver(a) {
			return forbid("only a supervisor over %s may hand the case over", s.node().Code)
		}
		return nil
	},
	apply: func(s *caseState, now time.Time, a Actor, in HandOffArgs) {
		b := in.BodyRef
		s.HandedTo = &b
		s.TierStart, s.TierExtendDays = now, 0
		s.TierAtRisk, s.TierOverdue = false, false
		s.Assignee, s.FailedAttempt = "", false
		if s.Status == fengqiao.StatusMediating {
			s.Status = fengqiao.StatusRegistered
		}
		for i := range s.CoBodies {
			if s.CoBodies[i].Active() {
				s.CoBodies[i].RemovedAt = &now
			}
		}
		s.eventWith(now, "handed_off", a, in.Reason, bodyArgs(b))
		s.notify("handed_off", true, "案件 "+s.Number+" 移交", "移交"+b.Name+"办理", s.firstContact(),
			s.supervisors(b.Code))
	},
}

// mediationRecord fills the projection columns of this track: the co-bodies (",a,b,") and the body the
// case was handed to.
func (s *caseState) mediationRecord(r *fengqiao.Case) {
	if codes := s.activeCoBodies(); len(codes) > 0 {
		slices.Sort(codes)
		r.CoBodies = "," + strings.Join(codes, ",") + ","
	}
	if b := s.HandedTo; b != nil && b.Code != "" {
		r.HandlingBody, r.HandlingBodyName, r.HandlingBodyType = b.Code, b.Name, string(b.Type)
	}
	if r.Court == "" && s.Referral != nil {
		r.Court = s.Referral.Court.Code
	}
}

// mediationView fills the view's fields of this track.
func (s *caseState) mediationView(v *CaseView) {
	v.CoBodies = append([]CoBody(nil), s.CoBodies...)
	v.HandedTo = s.HandedTo
	v.Referral = s.Referral
	if s.RefusalHold {
		v.RefusalOnRecord = s.refusing()
	}
}
