// Package accounts is the application service behind staff accounts, for the JSON API and the web
// pages alike: logging in (rate-limited per client address and per username), checking and revoking
// login tokens, creating users, granting and revoking roles (at a node or at a body), and administering
// the jurisdiction tree and the bodies (机构) seated on it.
//
// Every use case has one shape: validate the input (a *fengqiao.Error validation_failed naming each
// bad field), authorize the actor through the *policy.Authorizer, act through the *store.DB, and append
// to the audit log — changes as "ok", refusals as "denied", never personal data in the detail. Errors
// are *fengqiao.Error for the client's mistakes; a database failure comes back wrapped (%w), so the
// front ends' one classifier can tell an outage (503) from a bug (500).
//
// Both front ends must share one Service: the login throttle lives in it, so an account attacked
// through the web page is throttled on the API too.
package accounts
