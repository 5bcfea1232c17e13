// Package workflows holds the rules of Fengqiao as one durable Temporal workflow per case
// (CaseWorkflow). It is written to be read by someone who knows the law but not Temporal:
//
//   - contract.go lists every name the outside world uses: task queue, workflow IDs, update and query
//     names, search attributes, and the input and result types.
//   - rules.go holds the legal rules as named functions, each with the article it comes from.
//   - case.go is the workflow itself: a tiny entry point over a private state struct (setup, then run),
//     and the loop that applies the timed rules and sleeps until the next one is due.
//   - timed.go is the table of timed rules, each with its legal basis, when it is due and what it does:
//     the two clocks' risk and deadline (rule 4, escalation), 督办 of an unacknowledged escalation,
//     overdue courts, performance checks, review windows, the end of the satisfaction window.
//   - updates.go says what an action is: when the case's state allows it (which also yields
//     CaseView.NextActions), who may take it with which arguments — both checked in the update's
//     validator, so a refused action never reaches the history — and what it does; and it registers
//     every action as an update. The actions themselves are grouped by what they belong to:
//     mediation.go (assign, accept, consent, sessions, agreement, close), court.go (judicial
//     confirmation, its alternatives, the performance check), petition.go (route decision, answer,
//     复查/复核), supervision.go (escalate, return, acknowledge, suspend, resume, extend, visits,
//     migrate-policy) and satisfaction.go (follow-up, rating).
//   - clock.go computes the two clocks from the policy snapshot the case started with and the holiday
//     calendar loaded by an activity.
//
// A running case keeps the policy it started with; an administrator moves it to a new one only through
// the migrate-policy update. Long cases continue as new, carrying their state (Carried), before their
// history grows large.
//
// Workflow code is deterministic: it never does I/O, reads the wall clock or ranges over maps; side
// effects (the database projection, notifications, the court hand-off) are activities.
package workflows
