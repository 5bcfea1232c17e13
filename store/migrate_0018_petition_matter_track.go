package store

// migration0018PetitionMatterTrack puts the track into the matter keys of petitions made final after 复核
// (XGTL 36): "petition:" before the key, as new petitions' keys have it (cases.MatterTrackPrefix), so that
// a final petition refuses the same petition again but never blocks a people's mediation of the same
// parties. Dispute keys do not change.
var migration0018PetitionMatterTrack = migration{18, "petition matter track", `
UPDATE matters SET matter_key = 'petition:' || matter_key
 WHERE final AND matter_key NOT LIKE 'petition:%' AND case_id IN (SELECT id FROM cases WHERE kind = 'petition')
`}
