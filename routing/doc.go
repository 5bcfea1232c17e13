// Package routing resolves where a new case goes (DESIGN.md §2 "Routing is a table"): the first rule of
// the policy's routing table that matches the case and finds a body on the location's chain (or, for a
// petition, at or above the receiving window) names the body that takes it, the tier it starts at, and
// where a failure goes next. It is pure: the caller reads the chains and the bodies seated on them.
package routing
