package store

// migration0020PartyIdentity gives parties the identity a printed document names — 性别, 民族, 出生日期,
// 住址 for a person; 统一社会信用代码, 法定代表人/主要负责人 and 职务, 住所 for an organisation — and
// cases the place of the dispute (纠纷发生地) and the applicant's request (申请人请求事项). Every new
// value is personal data and is sealed like the ID number and phone already are: only the _enc
// columns ever hold it (the clear address and request columns of cases stay empty, as summary does;
// they exist because the case row embeds fengqiao.Case). The credit code is also kept as a keyed
// hash, for lookup. A party's kind (person or organisation) is not personal and stays in clear.
var migration0020PartyIdentity = migration{20, "party identity", `
ALTER TABLE case_parties ADD COLUMN kind TEXT NOT NULL DEFAULT '';
ALTER TABLE case_parties ADD COLUMN gender_enc {{bytes}};
ALTER TABLE case_parties ADD COLUMN ethnicity_enc {{bytes}};
ALTER TABLE case_parties ADD COLUMN birth_date_enc {{bytes}};
ALTER TABLE case_parties ADD COLUMN address_enc {{bytes}};
ALTER TABLE case_parties ADD COLUMN credit_code_enc {{bytes}};
ALTER TABLE case_parties ADD COLUMN credit_code_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE case_parties ADD COLUMN representative_enc {{bytes}};
ALTER TABLE case_parties ADD COLUMN representative_title_enc {{bytes}};
CREATE INDEX case_parties_credit_code_hash ON case_parties(credit_code_hash);
ALTER TABLE cases ADD COLUMN address TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN address_enc {{bytes}};
ALTER TABLE cases ADD COLUMN request TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN request_enc {{bytes}};
`}
