package web

import (
	"errors"
	"net/http"

	"fengqiao"
	"fengqiao/api"
	"fengqiao/cases"
)

// searchData is the search page: the box as typed and what it found.
type searchData struct {
	Q, Kind string
	Kinds   []string
	// Searched is true once a search ran (an empty result then says so).
	Searched bool
	Found    string // the kind the key was taken for
	Items    []searchRow
	Invalid  string // why the key was refused, in the page's language
}

// searchRow is one case found, as the list shows it.
type searchRow struct {
	ID, Number, Status, Tier, Handling string
	Parties                            []cases.SearchParty
}

func (h *handler) searchRows(p *page, names *nodeNames, items []cases.SearchItem) []searchRow {
	out := make([]searchRow, len(items))
	for i, it := range items {
		out[i] = searchRow{ID: it.Case.ID, Number: it.Case.Number, Status: it.Case.Status, Tier: it.Case.Tier,
			Handling: names.label(it.Case.HandlingNode), Parties: it.Parties}
	}
	return out
}

func searchKindNames() []string {
	out := make([]string, len(cases.SearchKinds))
	for i, k := range cases.SearchKinds {
		out[i] = string(k)
	}
	return out
}

// searchPage shows the search box (GET) and runs a search (POST, so that an ID number or a phone stays
// out of the address bar, the history and the proxies' logs): cases.Service.Search.
func (h *handler) searchPage(w http.ResponseWriter, r *http.Request) {
	p := h.newPage(r, "search.title")
	p.Nav = "workbench"
	d := searchData{Kinds: searchKindNames()}
	if r.Method == http.MethodPost {
		d.Q, d.Kind, d.Searched = r.PostFormValue("q"), r.PostFormValue("kind"), true
		res, err := h.Cases.Search(r.Context(), p.User.Username, d.Q, d.Kind)
		var fe *fengqiao.Error
		switch {
		case errors.As(err, &fe) && fe.Code == fengqiao.ECodeInvalid:
			d.Invalid, p.Fields = p.T("search.invalid."+string(res.Kind)), p.fieldTexts(fe.Fields)
			if len(fe.Fields) > 0 && fe.Fields[0].Field == "kind" {
				d.Invalid = p.T("search.invalid.kind")
			}
			p.Data = d
			h.render(w, r, api.StatusOf(fe.Code), "search", p)
			return
		case err != nil:
			h.fail(w, r, err)
			return
		}
		d.Found, d.Items = string(res.Kind), h.searchRows(p, h.names(r.Context()), res.Items)
	}
	p.Data = d
	h.render(w, r, http.StatusOK, "search", p)
}

// SearchKinds are the kinds the search box offers (its select).
func (p *page) SearchKinds() []string { return searchKindNames() }

// intakeCandidates answers the intake form's check button: the form again, as typed, with the
// applicant's open cases the clerk may read (cases.Service.Candidates), each with a button to record
// the visit on it. Nothing is opened; the clerk may still register a new matter.
func (h *handler) intakeCandidates(w http.ResponseWriter, r *http.Request, form intakeForm, req cases.OpenRequest) {
	found, err := h.Cases.Candidates(r.Context(), sessionOf(r).user.Username, req)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	f, err := h.intakeData(r, form)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p := h.newPage(r, "nav.intake")
	f.Checked, f.Candidates = true, h.searchRows(p, h.names(r.Context()), found)
	h.renderIntake(w, r, http.StatusOK, p, f)
}
