// Package cases is the application service behind the case endpoints: it validates an intake, reserves
// the matter and numbers the case in one database transaction (rule 3), starts the case workflow, sends
// actions to it as Temporal updates, and turns the workflow's refusals back into *fengqiao.Error. The
// HTTP layer is a thin shell over Service.
package cases
