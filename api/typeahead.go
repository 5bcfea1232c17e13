package api

import (
	"net/http"

	"fengqiao/typeahead"

	"github.com/gin-gonic/gin"
)

// The type-ahead lookups (package typeahead): what staff type into a place, body or staff field,
// answered within what the caller may look at, their own subtree first, at most 20 items (limit= up to
// 50) as {"items": [...]}. Cases are found by /cases/search.

func (s *Server) typeaheadPlaces(c *gin.Context) {
	q, err := typeahead.PlaceQueryOf(c.Request.URL.Query())
	if err != nil {
		s.fail(c, err)
		return
	}
	items, err := s.typeahead.Places(c.Request.Context(), caller(c).Username, q)
	s.respond(c, http.StatusOK, gin.H{"items": nonNil(items)}, err)
}

func (s *Server) typeaheadBodies(c *gin.Context) {
	q, err := typeahead.BodyQueryOf(c.Request.URL.Query())
	if err != nil {
		s.fail(c, err)
		return
	}
	items, err := s.typeahead.Bodies(c.Request.Context(), caller(c).Username, q)
	s.respond(c, http.StatusOK, gin.H{"items": nonNil(items)}, err)
}

func (s *Server) typeaheadStaff(c *gin.Context) {
	q, err := typeahead.StaffQueryOf(c.Request.URL.Query())
	if err != nil {
		s.fail(c, err)
		return
	}
	items, err := s.typeahead.Staff(c.Request.Context(), caller(c).Username, q)
	s.respond(c, http.StatusOK, gin.H{"items": nonNil(items)}, err)
}

// nonNil is items, or an empty list for none (a JSON array either way).
func nonNil[T any](items []T) []T {
	if items == nil {
		return []T{}
	}
	return items
}
