package accounts

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"time"

	"golang.org/x/crypto/bcrypt"

	"fengqiao"
	"fengqiao/internal/ratelimit"
	"fengqiao/store"
)

var (
	errBadLogin = fengqiao.Errorf(fengqiao.ECodeUnauthenticated, "wrong username or password")
	errBadToken = fengqiao.Errorf(fengqiao.ECodeUnauthenticated, "the token is unknown, expired or revoked; log in again")
)

// BcryptCost is the work factor of password hashes.
const BcryptCost = 11

// HashPassword returns a bcrypt hash of password.
func HashPassword(password string) (string, error) {
	h, err := bcrypt.GenerateFromPassword([]byte(password), BcryptCost)
	return string(h), err
}

// Session is a successful login: the token to present (bearer token or session cookie), when it
// expires, and who it belongs to.
type Session struct {
	Token     string
	ExpiresAt time.Time
	User      fengqiao.User
}

// Login checks a username and password and issues a login token, stored hashed so that it survives
// restarts and can be revoked. Attempts are throttled per client address and per username: a throttled
// attempt is a rate_limited error (its retry_after detail says how many seconds to wait), even with the
// right password. A wrong password, an unknown user and a disabled account are the same unauthenticated
// error and take the same time, so neither the answer nor its timing tells which usernames exist.
func (s *Service) Login(ctx context.Context, clientAddr, username, password string) (Session, error) {
	var v fengqiao.Validation
	v.Check(username != "", "username", "is required")
	v.Check(password != "", "password", "is required")
	if err := v.Err(); err != nil {
		return Session{}, err
	}
	if err := throttle(s.loginAddr, clientAddr); err != nil {
		return Session{}, err
	}
	if err := throttle(s.loginUser, username); err != nil {
		return Session{}, err
	}
	u, err := s.db.User(ctx, username)
	switch {
	case errors.Is(err, store.ErrNotFound):
		_ = bcrypt.CompareHashAndPassword(s.dummy(), []byte(password))
		return Session{}, errBadLogin
	case err != nil:
		return Session{}, fmt.Errorf("accounts: login: %w", err)
	}
	if bcrypt.CompareHashAndPassword([]byte(u.PasswordHash), []byte(password)) != nil || u.Disabled {
		return Session{}, errBadLogin
	}
	token, err := newToken()
	if err != nil {
		return Session{}, err
	}
	row, err := s.db.SaveToken(ctx, token, u.Username, s.tokenTTL)
	if err != nil {
		return Session{}, fmt.Errorf("accounts: login: %w", err)
	}
	return Session{Token: token, ExpiresAt: row.ExpiresAt, User: s.Details(u)}, nil
}

// throttle takes a token of key from l, or returns the rate_limited error naming the wait.
func throttle(l *ratelimit.Keyed, key string) error {
	ok, wait := l.Allow(key)
	if ok {
		return nil
	}
	return ratelimit.Error(wait, fmt.Sprintf("too many attempts; try again in %d seconds", int(wait.Seconds())+1))
}

// dummy is a hash of no one's password at the cost of real ones, to compare against for unknown users.
func (s *Service) dummy() []byte {
	s.dummyHashOnce.Do(func() {
		s.dummyHash, _ = bcrypt.GenerateFromPassword([]byte("not a password of anyone"), BcryptCost)
	})
	return s.dummyHash
}

func newToken() (string, error) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("accounts: token: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b[:]), nil
}

// Authenticate returns the user a login token belongs to. An empty, unknown, expired or revoked token,
// or one of a disabled account, is an unauthenticated error; a database failure is returned wrapped, so
// that an outage is answered as one (503), not as a request to log in again.
func (s *Service) Authenticate(ctx context.Context, token string) (store.UserRow, error) {
	if token == "" {
		return store.UserRow{}, errBadToken
	}
	u, err := s.db.TokenUser(ctx, token)
	if errors.Is(err, store.ErrNotFound) {
		return store.UserRow{}, errBadToken
	}
	if err != nil {
		return store.UserRow{}, fmt.Errorf("accounts: authenticate: %w", err)
	}
	return u, nil
}

// Logout revokes a login token everywhere: the API and the web share the token table. Revoking an
// unknown or already revoked token is not an error.
func (s *Service) Logout(ctx context.Context, token string) error {
	if token == "" {
		return nil
	}
	if err := s.db.RevokeToken(ctx, token); err != nil {
		return fmt.Errorf("accounts: logout: %w", err)
	}
	return nil
}
