// Package reliability holds the suites that prove "nothing lost, nobody in where they don't belong":
// kill -9 of `fengqiao dev` under load, split serve and worker processes killed mid-flight, a database
// outage, long timers across restarts, hostile HTTP input, cross-jurisdiction authorization, and fuzz
// targets. It has no code of its own; RELIABILITY.md at the root lists what each test proves and the
// command that repeats it.
package reliability
