package accounts

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"fengqiao"
	"fengqiao/policy"
	"fengqiao/store"
)

// SetDisabled disables (or enables again) a staff account; it needs admin.users city-wide. A disabled
// account cannot log in, and its tokens and sessions are revoked at once. An admin cannot disable
// their own account (they would lock themselves out).
func (s *Service) SetDisabled(ctx context.Context, actor, username string, disabled bool) (fengqiao.User, error) {
	if err := s.authorize(ctx, actor, policy.ActionAdminUsers, policy.Global, "user/"+username); err != nil {
		return fengqiao.User{}, err
	}
	if disabled && username == actor {
		return fengqiao.User{}, fengqiao.Errorf(fengqiao.ECodeNotAllowed, "you cannot disable your own account")
	}
	err := s.db.SetUserDisabled(ctx, username, disabled)
	if errors.Is(err, store.ErrNotFound) {
		return fengqiao.User{}, fengqiao.Errorf(fengqiao.ECodeNotFound, "no user %s", username)
	}
	if err != nil {
		return fengqiao.User{}, fmt.Errorf("accounts: disable: %w", err)
	}
	verb := "enabled"
	if disabled {
		verb = "disabled"
	}
	s.audit(ctx, actor, policy.ActionAdminUsers, "", "user/"+username, auditOK, verb)
	u, err := s.user(ctx, username)
	if err != nil {
		return fengqiao.User{}, err
	}
	return s.Details(u), nil
}

// oneTimeAlphabet has no look-alike characters (0/O, 1/l/I), since the password is read out or copied.
const oneTimeAlphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"

// ResetPassword gives a staff account a new random password, returned once and never stored in clear,
// and logs the account out everywhere; it needs admin.users city-wide.
func (s *Service) ResetPassword(ctx context.Context, actor, username string) (string, error) {
	if err := s.authorize(ctx, actor, policy.ActionAdminUsers, policy.Global, "user/"+username); err != nil {
		return "", err
	}
	b := make([]byte, 14)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("accounts: password: %w", err)
	}
	for i := range b {
		b[i] = oneTimeAlphabet[int(b[i])%len(oneTimeAlphabet)]
	}
	password := string(b)
	hash, err := HashPassword(password)
	if err != nil {
		return "", fmt.Errorf("accounts: hash password: %w", err)
	}
	err = s.db.ResetPassword(ctx, username, hash)
	if errors.Is(err, store.ErrNotFound) {
		return "", fengqiao.Errorf(fengqiao.ECodeNotFound, "no user %s", username)
	}
	if err != nil {
		return "", fmt.Errorf("accounts: reset password: %w", err)
	}
	s.audit(ctx, actor, policy.ActionAdminUsers, "", "user/"+username, auditOK, "password reset")
	return password, nil
}

// SearchUsers lists at most MaxPage accounts whose username or name contains q; it needs admin.users
// city-wide.
func (s *Service) SearchUsers(ctx context.Context, actor, q string) ([]fengqiao.User, error) {
	if err := s.authorize(ctx, actor, policy.ActionAdminUsers, policy.Global, "users"); err != nil {
		return nil, err
	}
	rows, err := s.db.SearchUsers(ctx, q, MaxPage)
	if err != nil {
		return nil, err
	}
	users := make([]fengqiao.User, len(rows))
	for i, u := range rows {
		users[i] = s.Details(u)
	}
	return users, nil
}

// SearchJurisdictions lists at most limit nodes whose code starts with q or whose name contains it;
// any staff member may read the tree.
func (s *Service) SearchJurisdictions(ctx context.Context, q string, limit int) ([]fengqiao.Node, error) {
	if err := checkLimit(limit); err != nil {
		return nil, err
	}
	return s.db.SearchNodes(ctx, q, limit)
}

// RenameJurisdiction renames a node (its code and place stay; moving a node is not offered, since every
// case, grant and body below it is keyed by its path); it needs admin.jurisdictions at the node.
func (s *Service) RenameJurisdiction(ctx context.Context, actor, code, name string) (fengqiao.Node, error) {
	name = strings.TrimSpace(name)
	var v fengqiao.Validation
	v.Check(name != "" && utf8.RuneCountInString(name) <= 100, "name", "must be 1 to 100 characters")
	if err := v.Err(); err != nil {
		return fengqiao.Node{}, err
	}
	if _, err := s.Jurisdiction(ctx, code); err != nil {
		return fengqiao.Node{}, err
	}
	if err := s.authorize(ctx, actor, policy.ActionAdminJurisdictions, code, "jurisdiction/"+code); err != nil {
		return fengqiao.Node{}, err
	}
	if err := s.db.RenameNode(ctx, code, name); err != nil {
		return fengqiao.Node{}, err
	}
	s.audit(ctx, actor, policy.ActionAdminJurisdictions, code, "jurisdiction/"+code, auditOK, "renamed")
	return s.Jurisdiction(ctx, code)
}
