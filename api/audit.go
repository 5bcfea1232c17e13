package api

import (
	"context"
	"time"

	"fengqiao/store"

	"github.com/gin-gonic/gin"
)

// Audit outcomes.
const (
	auditOK     = "ok"
	auditDenied = "denied"
	auditRead   = "read"
)

// audit appends to the hash-chained audit log (PIPL 51): every change, every read of a full record and
// every denial. detail must hold no personal data. The entry is written even if the client has gone.
func (s *Server) audit(c *gin.Context, action, node, object, outcome, detail string) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(c.Request.Context()), 5*time.Second)
	defer cancel()
	_, err := s.DB.Audit(ctx, store.AuditEntry{
		Actor: caller(c).Username, Node: node, Action: action, Object: object, Outcome: outcome, Detail: detail,
	})
	if err != nil {
		s.log.Error("audit entry not written", "action", action, "object", object, "error", err)
	}
}
