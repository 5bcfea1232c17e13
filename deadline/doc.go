// Package deadline computes the deadlines of a case: durations in calendar days, working days or exact
// time (Duration), the holiday calendar with its swapped working weekend days (Calendar, 调休), the
// deadline policy with its legal defaults (Policy), and the instants a period runs out (Calendar.Due,
// Calendar.DueWithPauses) and becomes at risk (AtRiskAt).
//
// Everything that computes a deadline is a deterministic pure function — no wall clock, no I/O, no
// goroutines, no dependence on map iteration order — so that workflow code may call it. Loading files
// (LoadPolicy) belongs in activities or at start-up; a workflow receives the Calendar and the Policy as
// values (both marshal to JSON) and keeps them in its state.
//
// Days are counted in China time (China, UTC+8) by the rules of 民法典 第二百零一条至第二百零三条 and
// 民事诉讼法 第八十五条: the starting day is not counted, a period ends at 24:00 of its last day, and a last
// day that is a holiday moves to the next working day. The other law texts cited are in ../shared/law/;
// 民法典 (2020) and 民事诉讼法 (2023) are not there and are cited from their published texts.
package deadline
