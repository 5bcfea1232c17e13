package api

import (
	"net/http"
	"strconv"
	"time"

	"fengqiao"
	"fengqiao/accounts"

	"github.com/gin-gonic/gin"
)

// leaderSchedule lists the leaders' reception days not yet over (public: 信访工作条例 第十八条 has the
// time and place of reception published), under ?node= when given.
func (s *Server) leaderSchedule(c *gin.Context) {
	items, err := s.Accounts.Receptions(c.Request.Context(), c.Query("node"), time.Now())
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"items": items})
}

// addReception adds a reception day (an administrator of the jurisdiction).
func (s *Server) addReception(c *gin.Context) {
	var req accounts.NewReception
	if err := decode(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	r, err := s.Accounts.AddReception(c.Request.Context(), caller(c).Username, req)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, r)
}

// deleteReception removes a reception day (an administrator of its jurisdiction).
func (s *Server) deleteReception(c *gin.Context) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		s.fail(c, fengqiao.Errorf(fengqiao.ECodeNotFound, "no reception day %s", c.Param("id")))
		return
	}
	if err := s.Accounts.DeleteReception(c.Request.Context(), caller(c).Username, id); err != nil {
		s.fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}
