// Package typeahead is what staff type into the pages' place, body and staff fields: the intake's
// location, a grant's user and jurisdiction, an assignment's mediator. Each lookup finds names by any
// part (鼓楼 finds 鼓楼街道) or codes by their beginning through the directory keys of package store,
// only within what the user may look at — the county of each of their grants and the nodes above it,
// so that a township clerk never sees another county's places or staff — their own subtree first, then
// the higher tier; at most 20 items unless asked for fewer (50 at most). Cases are found by
// cases.Service.Search.
package typeahead
