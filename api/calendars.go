package api

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"fengqiao"
	"fengqiao/cases"
)

// explainDeadlines is GET /api/v1/cases/{id}/deadlines/explain: every running clock of the case counted
// day by day, with the reason each day counted or not and the legal basis (DESIGN §3 rule 4).
func (s *Server) explainDeadlines(c *gin.Context) {
	e, err := s.Cases.ExplainDeadlines(c.Request.Context(), caller(c).Username, c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, e)
}

// listCalendars is GET /api/v1/calendars: the years the holiday calendar knows — stored notices, the
// built-in years and the provisional statutory stand-ins — each marked with where it comes from.
func (s *Server) listCalendars(c *gin.Context) {
	years, err := s.Cases.ListCalendars(c.Request.Context())
	s.respond(c, http.StatusOK, gin.H{"items": years}, err)
}

// putCalendar is PUT /api/v1/calendars/{year}: an administrator saves the State Council's notice for
// the year; new cases count on it and every open case recounts its deadlines on it.
func (s *Server) putCalendar(c *gin.Context) {
	year, err := strconv.Atoi(c.Param("year"))
	if err != nil {
		s.fail(c, &fengqiao.Error{Code: fengqiao.ECodeInvalid, Message: "year: not a year",
			Fields: []fengqiao.FieldError{{Field: "year", Message: "年份无效 (not a year): " + c.Param("year")}}})
		return
	}
	var in cases.CalendarInput
	if err := decode(c, &in); err != nil {
		s.fail(c, err)
		return
	}
	saved, err := s.Cases.PutCalendar(c.Request.Context(), caller(c).Username, year, in)
	s.respond(c, http.StatusOK, saved, err)
}
