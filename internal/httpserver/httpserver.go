// Package httpserver builds the http.Server every listener of Fengqiao uses — the web server and the
// embedded Temporal Web UI alike — with the timeouts a public service needs.
package httpserver

import (
	"net/http"
	"time"
)

// New returns an http.Server for h at addr whose slow or stalled clients cannot hold connections open:
// read header 5 s, read 30 s, write 60 s, idle 120 s, headers at most 64 KiB.
func New(addr string, h http.Handler) *http.Server {
	return &http.Server{
		Addr:              addr,
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
	}
}
