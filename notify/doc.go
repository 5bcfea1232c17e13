// Package notify delivers the notices the case projection queues in the outbox. A Worker picks the
// notices that are due (working-hours holding is already in their send_after; urgent ones are due at
// once), claims each so that two workers never send it at once, hands it to every Channel — the
// in-app Inbox, a DingTalk robot for supervisors — and marks it delivered, or counts the failure and
// tries again later with a growing delay. The workflow is not involved: a failing channel never holds
// a case. The SMS adapter speaks an HTTP gateway's protocol; the projection uses it (PartyTexts) for
// the texts to parties, whose phone numbers the outbox does not hold.
package notify
