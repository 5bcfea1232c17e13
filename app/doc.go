// Package app is Fengqiao's composition root: it assembles, once, what every process runs — the
// database (migrated), the jurisdiction-aware authorizer, the personal-data keys, a Temporal client
// (and, for `fengqiao dev`, the embedded Temporal server), the case service, the worker and the HTTP
// handler that serves the JSON API and the web pages together.
//
// cmd/fengqiao reads its configuration from the environment and calls New; the tests (through
// app/apptest) and the benchmark harness call New too, so what they exercise is what users run.
package app
