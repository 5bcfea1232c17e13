// Package apptest runs Fengqiao for tests, assembled by app.New exactly as the binary assembles it.
//
//   - One in-process Temporal server per test binary, started on first use, with a pool of namespaces:
//     each stack takes a namespace of its own, so that one test's workers never run another's cases.
//     A package's TestMain calls Main, which stops the server (and removes the built binary) at the end.
//   - New builds a full stack for one test: an app.App over a real test database (SQLite, or
//     PostgreSQL with the Postgres option), its worker started, and an httptest.Server over the
//     production handler (JSON API and web pages in one), with helpers to create users, grant roles,
//     log in through the API and seed the demo jurisdiction.
//   - Binary, StartProc and Proc run the real fengqiao binary as a child process: built once per test
//     binary, started with an environment on a free port, awaited until /readyz answers, killed with
//     SIGKILL or stopped with SIGTERM, its output captured.
//
// It is imported by tests only.
package apptest
