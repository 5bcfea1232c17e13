package web

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"fengqiao"
	"fengqiao/api"
	"fengqiao/typeahead"
)

// The session twins of GET /api/v1/typeahead/{places,bodies,staff}, for the type-ahead fields of the
// pages (static/typeahead.js): the same lookups, each item as the field shows it — the value it puts
// in the form (a code or a username), a label and a line of detail in the page's language.

// suggestion is one item of a type-ahead list.
type suggestion struct {
	Value  string `json:"value"`
	Label  string `json:"label"`
	Detail string `json:"detail,omitempty"`
	Own    bool   `json:"own"`
}

// answerSuggestions writes {"items": [...]} or, for a refused lookup, its status with no items and the
// reason in the page's language.
func (h *handler) answerSuggestions(w http.ResponseWriter, r *http.Request, p *page, items []suggestion, err error) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	out := map[string]any{"items": items}
	if items == nil {
		out["items"] = []suggestion{}
	}
	var fe *fengqiao.Error
	switch {
	case errors.As(err, &fe):
		w.WriteHeader(api.StatusOf(fe.Code))
		out["text"] = p.T("typeahead.refused")
	case err != nil:
		h.log.Error("type-ahead", "path", r.URL.Path, "error", err)
		w.WriteHeader(http.StatusInternalServerError)
		out["text"] = p.T("typeahead.refused")
	}
	_ = json.NewEncoder(w).Encode(out)
}

// placeDetail is "镇（街道）· 海曙区": the tier and the node above.
func placeDetail(p *page, tier fengqiao.Tier, parent string) string {
	parts := []string{p.T("tier." + string(tier))}
	if parent != "" {
		parts = append(parts, parent)
	}
	return strings.Join(parts, " · ")
}

// suggest answers a type-ahead field: the lookup parse reads from the query string, run by find as
// the session's user, each item shown by show.
func suggest[Q, T any](h *handler, w http.ResponseWriter, r *http.Request, parse func(url.Values) (Q, error),
	find func(context.Context, string, Q) ([]T, error), show func(*page, T) suggestion) {
	p := h.newPage(r, "nav.intake")
	q, err := parse(r.URL.Query())
	var found []T
	if err == nil {
		found, err = find(r.Context(), sessionOf(r).user.Username, q)
	}
	items := make([]suggestion, len(found))
	for i, it := range found {
		items[i] = show(p, it)
	}
	h.answerSuggestions(w, r, p, items, err)
}

func (h *handler) suggestPlaces(w http.ResponseWriter, r *http.Request) {
	suggest(h, w, r, typeahead.PlaceQueryOf, h.typeahead.Places, func(p *page, pl typeahead.Place) suggestion {
		return suggestion{Value: pl.Code, Label: pl.Name, Detail: placeDetail(p, pl.Tier, pl.ParentName), Own: pl.Own}
	})
}

func (h *handler) suggestBodies(w http.ResponseWriter, r *http.Request) {
	suggest(h, w, r, typeahead.BodyQueryOf, h.typeahead.Bodies, func(p *page, b typeahead.BodyItem) suggestion {
		return suggestion{Value: b.Code, Label: b.Name, Detail: p.TOr("body."+string(b.Type), string(b.Type)) + " · " + b.NodeName, Own: b.Own}
	})
}

func (h *handler) suggestStaff(w http.ResponseWriter, r *http.Request) {
	parse := func(v url.Values) (typeahead.StaffQuery, error) { // body=: a co-body's mediators (the case page)
		q, err := typeahead.StaffQueryOf(v)
		q.Body = v.Get("body")
		return q, err
	}
	suggest(h, w, r, parse, h.typeahead.Staff, func(p *page, s typeahead.Staff) suggestion {
		detail := []string{s.Username}
		for _, g := range s.Roles {
			detail = append(detail, p.T("role."+string(g.Role))+"（"+cmp.Or(g.NodeName, g.Node)+"）")
		}
		if s.Disabled {
			detail = append(detail, p.T("typeahead.disabled"))
		}
		return suggestion{Value: s.Username, Label: cmp.Or(s.DisplayName, s.Username), Detail: strings.Join(detail, " · "), Own: s.Own}
	})
}
