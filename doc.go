// Package fengqiao holds the domain of Fengqiao, a workflow engine for citizens' petitions (信访) and
// civil disputes (矛盾纠纷) handled the "Fengqiao experience" way: the jurisdiction tree and its tiers,
// roles, case kinds and statuses, the validation of citizens' identifiers, and the one error type whose
// stable codes every layer speaks. It imports the standard library only.
package fengqiao
