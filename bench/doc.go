// Package bench is Fengqiao's load harness (`make bench`): it measures what Fengqiao costs on top of
// the bare engine and database, each measure side by side with its baseline in the same run, so that
// the ratio stays meaningful on a shared, noisy machine. The measures: intake,
// lifecycle, timer storm, supervisor queue at scale, authorization and memory. BENCHMARKS.md at the
// repository root says how to run it and what each figure means.
package bench
