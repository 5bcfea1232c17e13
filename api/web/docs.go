package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"fengqiao"
	"fengqiao/cases"
	"fengqiao/deadline"
)

// The printed documents, in the legal form the Ministry of Justice's 人民调解文书格式 and the Supreme
// People's Court's 司法确认 forms give them: every party with its full identity (a person's 姓名, 性别,
// 民族, 出生日期, 公民身份号码, 住址, 电话; an organisation's 名称, 统一社会信用代码, 住所, 法定代表人 and
// 职务) for those who may print it (cases.Service.PrintIdentity), masked for anyone else; the court and
// the bodies named from the case; the mediator signing with their name. Each document exists in
// Chinese and, with ?lang=en, in English: neither mixes in the other's labels.

// documents are the printable documents: the name in the URL → the template.
var documents = map[string]string{
	"agreement":         "doc_agreement",         // 人民调解协议书 (PML 29)
	"confirmation":      "doc_confirmation",      // 司法确认申请书 (SPC 2011 art. 3)
	"termination":       "doc_termination",       // 终止调解告知书 (PML 26)
	"court_result":      "doc_court_result",      // 司法确认结果通知 (SPC 2011 arts. 7-9)
	"petition_accepted": "doc_petition_accepted", // 信访事项受理告知书 (XGTL 23, 34)
	"petition_refused":  "doc_petition_refused",  // 信访事项不予受理告知书 (XGTL 23, 31)
}

// docParty is a party as a document names it.
type docParty struct {
	Role                                       string
	Org                                        bool
	Name, Gender, Ethnicity, Birth             string
	ID, Phone, Address                         string
	CreditCode, Representative, RepresentTitle string
}

// docData is what a printed document shows.
type docData struct {
	caseData
	// Full reports that the identity is printed unmasked.
	Full bool
	// Applicants, Respondents and Representatives are the parties by side.
	Applicants, Respondents, Representatives []docParty
	// CourtName is the court the confirmation goes (or went) to: the court body of the case, else
	// the basic court over the case's location (CPL 205).
	CourtName string
	// Mediator is the assigned mediator's (or handler's) name.
	Mediator string
	// Body is the name of the body that handles the case (its committee, agency, office); Committee
	// the mediation committee as a document names it.
	Body, Committee string
	// GridReceipt: the receipt was given by a grid worker, who signs (a grid has no seal).
	GridReceipt bool
	// FirstContactName is the first-contact owner's name.
	FirstContactName string
	// Result is the court's decision: confirmed or rejected; ResultNote the court's reason.
	Result, RulingNo, ResultNote string
	ResultAt                     string
	// Referral is the lawful channel a petition not accepted belongs to, ReferralNote why.
	Referral, ReferralNote string
	ClosedAt               string
	// Copies is how many copies the agreement is made in (one per party and one for the committee),
	// in Chinese numerals in Chinese.
	Copies string
}

// chineseCount writes 1-99 in Chinese numerals (三, 十二, 二十).
func chineseCount(n int) string {
	const digits = "〇一二三四五六七八九"
	d := []rune(digits)
	switch {
	case n < 10:
		return string(d[n])
	case n < 20:
		return "十" + strings.TrimPrefix(string(d[n%10]), "〇")
	case n < 100:
		return string(d[n/10]) + "十" + strings.TrimPrefix(string(d[n%10]), "〇")
	}
	return strconv.Itoa(n)
}

// party is p as the document shows it.
func (p *page) docParty(x fengqiao.Party, full bool) docParty {
	d := docParty{Role: string(x.Role), Org: x.Organization(), Name: x.Name, Ethnicity: x.Ethnicity,
		Address: x.Address, CreditCode: x.CreditCode, Representative: x.Representative, RepresentTitle: x.RepresentativeTitle}
	g := x.Gender
	if g == "" {
		g = fengqiao.GenderOfIDNumber(x.IDNumber)
	}
	if g != "" {
		d.Gender = p.T("gender." + string(g))
		if p.Lang == "en" {
			d.Gender = strings.ToLower(d.Gender)
		}
	}
	birth := x.BirthDate
	if birth == "" {
		birth = fengqiao.BirthDateOfIDNumber(x.IDNumber)
	}
	if len(birth) == 10 {
		if p.Lang == "en" {
			d.Birth = birth
		} else {
			d.Birth = birth[:4] + "年" + strings.TrimPrefix(birth[5:7], "0") + "月" + strings.TrimPrefix(birth[8:10], "0") + "日"
		}
	}
	d.ID, d.Phone = x.IDNumber, x.Phone
	if !full {
		if d.ID != "" {
			d.ID = fengqiao.MaskIDNumber(d.ID)
		}
		if d.Phone != "" {
			d.Phone = fengqiao.MaskPhone(d.Phone)
		}
		d.Address, d.Birth = "", "" // the masked print is not the legal document: no home, no birth date
	}
	return d
}

// docData builds what the document shows for v, printed with full identity or not.
func (h *handler) docData(r *http.Request, p *page, v cases.View, full bool) (docData, error) {
	cd, err := h.caseData(r, p, v)
	if err != nil {
		return docData{}, err
	}
	d := docData{caseData: cd, Full: full, Body: cd.Handling}
	d.Printed = p.docDate(p.now)
	d.Copies = strconv.Itoa(len(v.Parties) + 1)
	if p.Lang != "en" {
		d.Copies = chineseCount(len(v.Parties) + 1)
	}
	if a := v.Agreement; a != nil {
		d.ApplyLastDay, d.PerformLastDay = p.date(deadline.LastDate(a.ApplyBy)), p.date(deadline.LastDate(a.PerformBy))
	}
	for _, x := range v.Parties {
		dp := p.docParty(x, full)
		switch x.Role {
		case fengqiao.PartyApplicant:
			d.Applicants = append(d.Applicants, dp)
		case fengqiao.PartyRespondent:
			d.Respondents = append(d.Respondents, dp)
		default:
			d.Representatives = append(d.Representatives, dp)
		}
	}
	if row, err := h.DB.Case(r.Context(), v.ID); err == nil && row.HandlingBodyName != "" {
		d.Body = row.HandlingBodyName
	}
	d.Committee = d.Body
	if !strings.Contains(d.Body, "委员会") {
		d.Committee = p.T("doc.committee_of", d.Body)
	}
	if v.Assignee != nil {
		d.Mediator = p.Name(*v.Assignee)
	}
	d.FirstContactName = p.Name(v.FirstContact.User)
	names := h.names(r.Context())
	d.GridReceipt = names.node(v.FirstContact.Node).Tier == fengqiao.TierGrid
	d.CourtName = h.courtName(r, v)
	if c := v.Confirmation; c != nil {
		d.Result, d.RulingNo = c.Result, c.RulingNo
	}
	if v.Petition != nil {
		d.Referral = v.Petition.ReferredTo
	}
	if v.ClosedAt != nil {
		d.ClosedAt = p.docDate(*v.ClosedAt)
	}
	events, err := h.Cases.Timeline(r.Context(), v.ID)
	if err != nil {
		return d, err
	}
	for _, e := range events {
		// what a person wrote is the detail of an event that carries its facts as arguments
		// (migration 16); older events hold the engine's own sentence there, which is not printed
		written := len(e.ArgMap()) > 0 && e.Detail != ""
		switch e.Type {
		case "court_confirmed", "court_rejected":
			d.ResultAt = p.docDate(e.OccurredAt)
			if written {
				d.ResultNote = e.Detail
			}
		case "referred_out":
			if written {
				d.ReferralNote = e.Detail
			}
			if ch := e.ArgMap()["channel"]; ch != "" {
				d.Referral = ch
			}
		}
	}
	return d, nil
}

// courtName is the name of the court a confirmation of v goes to: the court it was sent to, else the
// nearest court over the case's location (CPL 205: a basic court where the committee sits or the
// dispute arose); "" when the tree has none.
func (h *handler) courtName(r *http.Request, v cases.View) string {
	code := ""
	if v.Confirmation != nil {
		code = v.Confirmation.Court
	} else if opts, err := h.courtOptions(r, v); err == nil && len(opts) > 0 {
		code = opts[len(opts)-1].Value
	}
	if code == "" {
		return ""
	}
	if b, err := h.DB.Body(r.Context(), code); err == nil && b.Name != "" {
		return b.Name
	}
	return h.names(r.Context()).label(code)
}

// docDate is the day of an instant in China, as a document writes it (public.date: 2026年3月3日).
func (p *page) docDate(t time.Time) string { return p.date(t.In(deadline.China)) }

// document prints one of the documents (documents), for the case in the URL.
func (h *handler) document(w http.ResponseWriter, r *http.Request) {
	name, ok := documents[r.PathValue("doc")]
	if !ok {
		h.notFound(w, r)
		return
	}
	h.printable(w, r, name)
}

// printable prints a document or the receipt. The identity is printed in full only for those who may
// (cases.Service.PrintIdentity); the print is audited.
func (h *handler) printable(w http.ResponseWriter, r *http.Request, name string) {
	v, full, err := h.Cases.PrintIdentity(r.Context(), sessionOf(r).user.Username, r.PathValue("id"), name)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if why := h.docMissing(name, v); why != "" {
		h.fail(w, r, fengqiao.Errorf(fengqiao.ECodeNotAllowed, "%s", why))
		return
	}
	p := h.newPage(r, "doc."+name)
	d, err := h.docData(r, p, v, full)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p.Data = d
	h.render(w, r, http.StatusOK, name, p)
}

// docMissing says why the case cannot have the document yet ("" when it can).
func (h *handler) docMissing(name string, v cases.View) string {
	switch name {
	case "doc_agreement", "doc_confirmation":
		if v.Agreement == nil {
			return "the case has no agreement"
		}
	case "doc_court_result":
		if v.Confirmation == nil || (v.Confirmation.Result != "confirmed" && v.Confirmation.Result != "rejected") {
			return "the court has not decided"
		}
	case "doc_petition_accepted":
		if v.Kind != fengqiao.KindPetition || v.Petition == nil || !v.Petition.Accepted {
			return "the petition has not been accepted"
		}
	case "doc_petition_refused":
		if v.Kind != fengqiao.KindPetition || v.Status != fengqiao.StatusReferredOut {
			return "the petition was not refused"
		}
	}
	return ""
}

// docsOf lists the documents the case has now (for the case page's links).
func docsOf(v cases.View, events []string) []string {
	var out []string
	if v.Agreement != nil {
		out = append(out, "agreement", "confirmation")
	}
	for _, e := range events {
		if e == "mediation_terminated" {
			out = append(out, "termination")
			break
		}
	}
	if c := v.Confirmation; c != nil && (c.Result == "confirmed" || c.Result == "rejected") {
		out = append(out, "court_result")
	}
	if v.Kind == fengqiao.KindPetition && v.Petition != nil {
		if v.Petition.Accepted {
			out = append(out, "petition_accepted")
		}
		if v.Status == fengqiao.StatusReferredOut {
			out = append(out, "petition_refused")
		}
	}
	return out
}
