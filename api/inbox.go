package api

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"fengqiao"
	"fengqiao/notify"
	"fengqiao/store"
)

// inboxLimit is how many entries GET /inbox returns, newest first.
const inboxLimit = 100

var errInboxEntry = fengqiao.Errorf(fengqiao.ECodeNotFound, "no such entry in your inbox")

// inbox answers the caller's in-app inbox: the newest notices and the unread count.
func (s *Server) inbox(c *gin.Context) {
	page, err := notify.ReadInbox(c.Request.Context(), s.DB, s.Cases.Keys, caller(c).Username, inboxLimit)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, page)
}

// readInbox marks an entry of the caller's inbox read; another user's entry is 404.
func (s *Server) readInbox(c *gin.Context) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		s.fail(c, errInboxEntry)
		return
	}
	if err := s.DB.MarkInboxRead(c.Request.Context(), caller(c).Username, id, time.Now()); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			err = errInboxEntry
		}
		s.fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}
