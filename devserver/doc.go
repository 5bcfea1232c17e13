// Package devserver runs a Temporal server inside the Fengqiao process, persisted to a SQLite file,
// with the Temporal Web UI beside it. It is the embedded default behind `fengqiao dev` and the real
// server that integration tests start; production points at a Temporal cluster instead.
//
// It is assembled from the server's public packages the way the temporal CLI's own dev server is
// (github.com/temporalio/cli, internal/devserver).
package devserver
