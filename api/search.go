package api

import (
	"net/http"

	"fengqiao/cases"

	"github.com/gin-gonic/gin"
)

// searchParty is a party in a search result: name and identifiers masked.
type searchParty = cases.SearchParty

// searchItem is one case found: its summary, its parties masked, and whether the key matched whole.
type searchItem struct {
	caseSummary
	Parties []searchParty `json:"parties"`
	Exact   bool          `json:"exact"`
}

func searchItems(items []cases.SearchItem) []searchItem {
	out := make([]searchItem, len(items))
	for i, it := range items {
		out[i] = searchItem{caseSummary: summarize(it.Case), Parties: it.Parties, Exact: it.Exact}
		if out[i].Parties == nil {
			out[i].Parties = []searchParty{}
		}
	}
	return out
}

type searchRequest struct {
	Q    string `json:"q"`
	Kind string `json:"kind"`
}

// searchCases finds cases by a party's name (or part of it), name and last 4 digits of the phone, ID
// number, phone, case number (or its beginning) or query code, among those the caller may read; the
// search is audited by kind, never by key. GET takes q in the query string; POST takes it in the body,
// which is where an ID number or a phone belongs: a URL is kept in proxies' and browsers' logs.
func (s *Server) searchCases(c *gin.Context) {
	req := searchRequest{Q: c.Query("q"), Kind: c.Query("kind")}
	if c.Request.Method == http.MethodPost {
		if err := decode(c, &req); err != nil {
			s.fail(c, err)
			return
		}
	}
	res, err := s.Cases.Search(c.Request.Context(), caller(c).Username, req.Q, req.Kind)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"kind": res.Kind, "items": searchItems(res.Items)})
}

// intakeResponse is the case an intake opened, with the applicants' other open cases the caller may
// read: candidates for recording the visit on (rule 3) when the matter is the same one.
type intakeResponse struct {
	caseResponse
	Candidates []searchItem `json:"candidates"`
}

// respondIntake answers an intake with the case and its candidates (none when looking them up failed:
// the case is open all the same).
func (s *Server) respondIntake(c *gin.Context, status int, v cases.View, req cases.OpenRequest) {
	out, err := s.caseJSON(caller(c).Username, v)
	if err != nil {
		s.fail(c, err)
		return
	}
	found, err := s.Cases.Candidates(c.Request.Context(), caller(c).Username, req)
	if err != nil { // the case is open: say so, without candidates
		s.log.ErrorContext(c.Request.Context(), "intake candidates", "case", v.ID, "error", err)
	}
	others := found[:0]
	for _, it := range found {
		if it.Case.ID != v.ID {
			others = append(others, it)
		}
	}
	c.JSON(status, intakeResponse{caseResponse: out, Candidates: searchItems(others)})
}
