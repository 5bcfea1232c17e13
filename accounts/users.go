package accounts

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"fengqiao"
	"fengqiao/policy"
	"fengqiao/store"
)

// Details is the account as clients see it, with the roles it holds (what /auth/me returns); never
// its password hash.
func (s *Service) Details(u store.UserRow) fengqiao.User {
	grants := s.policy.Grants(u.Username)
	if grants == nil {
		grants = []fengqiao.Grant{}
	}
	return fengqiao.User{Username: u.Username, DisplayName: u.DisplayName, Disabled: u.Disabled, Grants: grants}
}

// ValidUsername reports whether name can be a username: 2-64 of a-z, 0-9, '.', '_' and '-', starting
// with a letter or digit.
func ValidUsername(name string) bool {
	if len(name) < 2 || len(name) > 64 {
		return false
	}
	for i, r := range name {
		ok := r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || i > 0 && (r == '.' || r == '_' || r == '-')
		if !ok {
			return false
		}
	}
	return true
}

// NewUser is a staff account to create (the body of POST /api/v1/users).
type NewUser struct {
	Username    string `json:"username"`
	Password    string `json:"password"`
	DisplayName string `json:"display_name"`
	// Phone is checked but not kept: accounts hold no phone number yet.
	Phone string `json:"phone"`
}

// Validate checks a new account's fields.
func (in NewUser) Validate() error {
	var v fengqiao.Validation
	v.Check(ValidUsername(in.Username), "username", "must be 2-64 characters of a-z, 0-9, '.', '_' or '-'")
	v.Check(utf8.RuneCountInString(in.Password) >= 10 && len(in.Password) <= 72, "password", "must be 10 to 72 bytes long")
	v.Check(utf8.RuneCountInString(in.DisplayName) <= 100, "display_name", "must be at most 100 characters")
	v.Check(in.Phone == "" || fengqiao.ValidPhone(in.Phone), "phone", "must be a mainland mobile or fixed-line number")
	return v.Err()
}

// CreateUser creates a staff account, with no roles; it needs admin.users city-wide. A taken username
// is a conflict.
func (s *Service) CreateUser(ctx context.Context, actor string, in NewUser) (fengqiao.User, error) {
	if err := in.Validate(); err != nil {
		return fengqiao.User{}, err
	}
	if err := s.authorize(ctx, actor, policy.ActionAdminUsers, policy.Global, "users"); err != nil {
		return fengqiao.User{}, err
	}
	hash, err := HashPassword(in.Password)
	if err != nil {
		return fengqiao.User{}, fmt.Errorf("accounts: hash password: %w", err)
	}
	u, err := s.db.CreateUser(ctx, store.UserRow{Username: in.Username, PasswordHash: hash, DisplayName: in.DisplayName})
	if err != nil {
		return fengqiao.User{}, err
	}
	s.audit(ctx, actor, policy.ActionAdminUsers, "", "user/"+u.Username, auditOK, "created")
	return s.Details(u), nil
}

// User returns an account: one's own, or anyone's with admin.users city-wide.
func (s *Service) User(ctx context.Context, actor, username string) (fengqiao.User, error) {
	if username != actor {
		if err := s.authorize(ctx, actor, policy.ActionAdminUsers, policy.Global, "user/"+username); err != nil {
			return fengqiao.User{}, err
		}
	}
	u, err := s.user(ctx, username)
	if err != nil {
		return fengqiao.User{}, err
	}
	return s.Details(u), nil
}

func (s *Service) user(ctx context.Context, username string) (store.UserRow, error) {
	u, err := s.db.User(ctx, username)
	if errors.Is(err, store.ErrNotFound) {
		return store.UserRow{}, fengqiao.Errorf(fengqiao.ECodeNotFound, "no user %s", username)
	}
	if err != nil {
		return store.UserRow{}, fmt.Errorf("accounts: user: %w", err)
	}
	return u, nil
}

// Users lists the accounts by username, limit (1..MaxPage) after the cursor; it needs admin.users
// city-wide.
func (s *Service) Users(ctx context.Context, actor, cursor string, limit int) (Page[fengqiao.User], error) {
	if err := checkLimit(limit); err != nil {
		return Page[fengqiao.User]{}, err
	}
	if err := s.authorize(ctx, actor, policy.ActionAdminUsers, policy.Global, "users"); err != nil {
		return Page[fengqiao.User]{}, err
	}
	rows, err := s.db.Users(ctx, cursor, limit+1)
	if err != nil {
		return Page[fengqiao.User]{}, err
	}
	users := make([]fengqiao.User, len(rows))
	for i, u := range rows {
		users[i] = s.Details(u)
	}
	return cut(users, limit, func(u fengqiao.User) string { return u.Username }), nil
}

// GrantRequest names a role at a jurisdiction (the body of POST and DELETE /api/v1/users/{username}/roles).
type GrantRequest struct {
	Role fengqiao.Role `json:"role"`
	// Jurisdiction is a node code, or policy.Global for the whole tree.
	Jurisdiction string `json:"jurisdiction"`
}

// Validate checks the role and the jurisdiction code.
func (in GrantRequest) Validate() error {
	roles := make([]string, len(fengqiao.Roles))
	for i, r := range fengqiao.Roles {
		roles[i] = string(r)
	}
	var v fengqiao.Validation
	v.Check(in.Role.Valid(), "role", "must be one of %s", strings.Join(roles, ", "))
	v.Check(in.Jurisdiction == policy.Global || fengqiao.ValidNodeCode(in.Jurisdiction), "jurisdiction", "must be a jurisdiction code")
	return v.Err()
}

// Grant gives username the role at the jurisdiction and returns the account as it stands after. An
// admin grants only within the subtree their own admin.grants covers.
func (s *Service) Grant(ctx context.Context, actor, username string, in GrantRequest) (fengqiao.User, error) {
	return s.changeGrant(ctx, actor, username, in, true)
}

// Revoke takes the role at the jurisdiction away from username and returns the account as it stands
// after, with Grant's rule. Revoking a role not held is not_found; the last city-wide admin stays.
func (s *Service) Revoke(ctx context.Context, actor, username string, in GrantRequest) (fengqiao.User, error) {
	return s.changeGrant(ctx, actor, username, in, false)
}

func (s *Service) changeGrant(ctx context.Context, actor, username string, in GrantRequest, grant bool) (fengqiao.User, error) {
	if err := in.Validate(); err != nil {
		return fengqiao.User{}, err
	}
	if err := s.authorize(ctx, actor, policy.ActionAdminGrants, in.Jurisdiction, "user/"+username); err != nil {
		return fengqiao.User{}, err
	}
	u, err := s.user(ctx, username)
	if err != nil {
		return fengqiao.User{}, err
	}
	verb := "granted "
	if grant {
		err = s.policy.Grant(ctx, username, in.Role, in.Jurisdiction)
	} else {
		verb = "revoked "
		err = s.policy.Revoke(ctx, username, in.Role, in.Jurisdiction)
	}
	if err != nil {
		return fengqiao.User{}, err
	}
	s.audit(ctx, actor, policy.ActionAdminGrants, in.Jurisdiction, "user/"+username, auditOK, verb+string(in.Role))
	return s.Details(u), nil
}

// Overview is what an administrator may administer, and the tree and the accounts they administer:
// the administration page.
type Overview struct {
	// Jurisdictions, Grants, Calendar and Policy report the admin action held at some node; Users,
	// admin.users city-wide.
	Jurisdictions, Users, Grants, Calendar, Policy bool
	// Tree is the whole jurisdiction tree, parents before children, when Jurisdictions.
	Tree []fengqiao.Node
	// Accounts are the first MaxPage accounts by username, when Users.
	Accounts []fengqiao.User
}

// Overview returns the actor's administration overview; someone with no admin action anywhere is
// refused.
func (s *Service) Overview(ctx context.Context, actor string) (Overview, error) {
	o := Overview{
		Jurisdictions: s.policy.HasAnywhere(actor, policy.ActionAdminJurisdictions),
		Grants:        s.policy.HasAnywhere(actor, policy.ActionAdminGrants),
		Calendar:      s.policy.HasAnywhere(actor, policy.ActionAdminCalendar),
		Policy:        s.policy.HasAnywhere(actor, policy.ActionAdminPolicy),
	}
	var err error
	if o.Users, err = s.policy.Can(actor, policy.ActionAdminUsers, policy.Global); err != nil {
		return Overview{}, err
	}
	if !o.Jurisdictions && !o.Users && !o.Grants && !o.Calendar && !o.Policy {
		s.audit(ctx, actor, policy.ActionAdminJurisdictions, "", "admin", auditDenied, "")
		return Overview{}, fengqiao.Errorf(fengqiao.ECodeForbidden, "only administrators see this page")
	}
	if o.Jurisdictions {
		if o.Tree, err = s.db.AllNodes(ctx); err != nil {
			return Overview{}, err
		}
	}
	if o.Users {
		page, err := s.Users(ctx, actor, "", MaxPage)
		if err != nil {
			return Overview{}, err
		}
		o.Accounts = page.Items
	}
	return o, nil
}
