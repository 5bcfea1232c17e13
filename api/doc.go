// Package api is Fengqiao's HTTP face: the JSON API of API.md under /api/v1, the operations endpoints
// (/healthz, /readyz, /metrics) and, later, the web pages. Handlers share one shape — decode, validate,
// authorize, act, respond — and errors reach clients as RFC 9457 problem documents through the one
// code-to-status map in errors.go.
package api
