package api

import (
	"context"
	"net/http"
	"net/url"

	"fengqiao/typeahead"

	"github.com/gin-gonic/gin"
)

// The type-ahead lookups (package typeahead): what staff type into a place, body or staff field,
// answered within what the caller may look at, their own subtree first, at most 20 items (limit= up to
// 50) as {"items": [...]}. Cases are found by /cases/search.

func (s *Server) typeaheadPlaces(c *gin.Context) {
	lookup(s, c, typeahead.PlaceQueryOf, s.typeahead.Places)
}
func (s *Server) typeaheadBodies(c *gin.Context) {
	lookup(s, c, typeahead.BodyQueryOf, s.typeahead.Bodies)
}
func (s *Server) typeaheadStaff(c *gin.Context) {
	lookup(s, c, typeahead.StaffQueryOf, s.typeahead.Staff)
}

// lookup reads a lookup from the query string with parse, runs it as the caller with find and answers
// {"items": [...]} (an empty list for none).
func lookup[Q, T any](s *Server, c *gin.Context, parse func(url.Values) (Q, error), find func(context.Context, string, Q) ([]T, error)) {
	q, err := parse(c.Request.URL.Query())
	if err != nil {
		s.fail(c, err)
		return
	}
	items, err := find(c.Request.Context(), caller(c).Username, q)
	if items == nil {
		items = []T{}
	}
	s.respond(c, http.StatusOK, gin.H{"items": items}, err)
}
