// Package web is Fengqiao's browser workbench: server-rendered HTML pages in Chinese (English with
// ?lang=en) for intake clerks, grid workers, mediators, supervisors, court officers, auditors and
// administrators, and a public page where a party follows a case with its query code.
//
// The pages sit on the same services as the JSON API (package api): cases.Service for every case
// action, policy.Authorizer for every decision (a case the caller may not read is 404, exactly as in
// the API), store.DB for lists and the audit log. Sessions are HttpOnly, SameSite=Lax cookies holding
// a login token of the API's token table, so logging out revokes it everywhere; every POST form
// carries a CSRF token. Templates and the stylesheet are embedded; the only JavaScript is a few lines
// of inline form checking.
package web
