package store

// migration0006SealedText adds a sealed twin to every column of free text — what people wrote about a
// case (summary, outcome, timeline details, notices, text messages): complaints and family matters are
// personal data of the most sensitive kind, and a phone number typed into a note must not sit in the
// database in clear. The migration has no keys, so it moves nothing: a row written before it keeps its
// text in the clear column (and an empty sealed one) and reads as it did; a row written after it has an
// empty clear column and its text in the sealed one (see sealed.go). The projection's next step
// rewrites a case row sealed; DB.SealPlaintext seals what is left.
var migration0006SealedText = migration{6, "sealed free text", `
ALTER TABLE cases ADD COLUMN summary_enc {{bytes}};
ALTER TABLE cases ADD COLUMN outcome_enc {{bytes}};
ALTER TABLE case_events ADD COLUMN detail_enc {{bytes}};
ALTER TABLE outbox ADD COLUMN subject_enc {{bytes}};
ALTER TABLE outbox ADD COLUMN body_enc {{bytes}};
ALTER TABLE sms_inbox ADD COLUMN text_enc {{bytes}};
`}
