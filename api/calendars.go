package api

import (
	"net/http"

	"github.com/gin-gonic/gin"
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
