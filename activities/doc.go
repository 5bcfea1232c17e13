// Package activities holds the side effects of the case workflow: resolving a location's chain of
// ancestors, loading the holiday calendar, writing the database projection (case row, parties, timeline,
// matter release), queueing notifications in the outbox (and texting parties through an SMSGateway),
// and handing agreements to a court. Every method is idempotent, keyed by the workflow's own sequence
// numbers, so a retried activity never duplicates or reorders anything.
package activities
