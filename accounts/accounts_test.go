package accounts_test

import (
	"context"
	"errors"
	"io"
	"net"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"
	"gorm.io/gorm"

	"fengqiao"
	"fengqiao/accounts"
	"fengqiao/policy"
	"fengqiao/store"
	"fengqiao/store/storetest"
)

// fixture is a Service over a real database and authorizer, with a small tree (a city, a county, two
// townships) and an admin holding admin city-wide.
type fixture struct {
	t   *testing.T
	db  *store.DB
	pol *policy.Authorizer
	svc *accounts.Service
}

func newFixture(t *testing.T, db *store.DB) *fixture {
	t.Helper()
	ctx := context.Background()
	pol, err := policy.New(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{t: t, db: db, pol: pol, svc: accounts.New(db, pol, accounts.Options{})}
	for _, n := range []fengqiao.Node{
		{Code: "330200", Name: "宁波市", Tier: fengqiao.TierCity},
		{Code: "330203", Name: "海曙区", Tier: fengqiao.TierCounty, ParentCode: "330200"},
		{Code: "330203001", Name: "鼓楼街道", Tier: fengqiao.TierTownship, ParentCode: "330203"},
		{Code: "330203002", Name: "南门街道", Tier: fengqiao.TierTownship, ParentCode: "330203"},
	} {
		created, err := db.CreateNode(ctx, n)
		if err != nil {
			t.Fatal(err)
		}
		if err := pol.NodeAdded(ctx, created); err != nil {
			t.Fatal(err)
		}
	}
	f.user("admin", "admin-password", fengqiao.RoleAdmin, policy.Global)
	return f
}

// user creates an account (hashed at bcrypt's lowest cost: a login compares at the stored cost) with
// the role at node, or no role when role is "".
func (f *fixture) user(username, password string, role fengqiao.Role, node string) {
	f.t.Helper()
	ctx := context.Background()
	hash, err := bcrypt.GenerateFromPassword([]byte(password), bcrypt.MinCost)
	if err != nil {
		f.t.Fatal(err)
	}
	if _, err := f.db.CreateUser(ctx, store.UserRow{Username: username, PasswordHash: string(hash)}); err != nil {
		f.t.Fatal(err)
	}
	if role != "" {
		if err := f.pol.Grant(ctx, username, role, node); err != nil {
			f.t.Fatal(err)
		}
	}
}

// audited reports whether the audit log holds an entry of actor, action and object with the outcome.
func (f *fixture) audited(actor string, action policy.Action, object, outcome string) bool {
	f.t.Helper()
	entries, err := f.db.AuditPage(context.Background(), 0, 1000)
	if err != nil {
		f.t.Fatal(err)
	}
	for _, e := range entries {
		if e.Actor == actor && e.Action == string(action) && e.Object == object && e.Outcome == outcome {
			return true
		}
	}
	return false
}

// wantCode fails unless err carries the code and, when field is set, a field error naming it.
func wantCode(t *testing.T, err error, code fengqiao.Code, field string) *fengqiao.Error {
	t.Helper()
	var fe *fengqiao.Error
	if !errors.As(err, &fe) || fe.Code != code {
		t.Fatalf("error %v, want %s", err, code)
	}
	if field == "" {
		return fe
	}
	for _, f := range fe.Fields {
		if f.Field == field {
			return fe
		}
	}
	t.Fatalf("error %v names fields %v, want %s", err, fe.Fields, field)
	return fe
}

// outage makes every query of db fail as a refused connection does while down is true.
func outage(t *testing.T, db *store.DB) *atomic.Bool {
	t.Helper()
	var down atomic.Bool
	refused := &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}
	err := db.Callback().Query().Before("gorm:query").Register("accounts_test:outage", func(tx *gorm.DB) {
		if down.Load() {
			_ = tx.AddError(refused)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	return &down
}

func TestLogin(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		f.user("clerk", "clerk-password", fengqiao.RoleClerk, "330203")
		f.user("leaver", "leaver-password", "", "")
		if err := db.SetUserDisabled(ctx, "leaver", true); err != nil {
			t.Fatal(err)
		}

		t.Run("the right password gives a token of the user with their grants", func(t *testing.T) {
			sess, err := f.svc.Login(ctx, "10.0.0.1", "clerk", "clerk-password")
			if err != nil {
				t.Fatal(err)
			}
			if sess.Token == "" || sess.User.Username != "clerk" || len(sess.User.Grants) != 1 || sess.User.Grants[0].Role != fengqiao.RoleClerk {
				t.Fatalf("session %+v", sess)
			}
			if ttl := time.Until(sess.ExpiresAt); ttl < accounts.DefaultTokenTTL-time.Minute || ttl > accounts.DefaultTokenTTL {
				t.Fatalf("the token expires in %v, want %v", ttl, accounts.DefaultTokenTTL)
			}
			u, err := f.svc.Authenticate(ctx, sess.Token)
			if err != nil || u.Username != "clerk" {
				t.Fatalf("authenticate: %v %v", u.Username, err)
			}
			if err := f.svc.Logout(ctx, sess.Token); err != nil {
				t.Fatal(err)
			}
			_, err = f.svc.Authenticate(ctx, sess.Token)
			wantCode(t, err, fengqiao.ECodeUnauthenticated, "")
		})
		refusals := []struct{ name, username, password string }{
			{"a wrong password", "clerk", "wrong"},
			{"an unknown user", "ghost", "clerk-password"},
			{"a disabled account", "leaver", "leaver-password"},
		}
		for _, tt := range refusals {
			t.Run(tt.name+" is unauthenticated", func(t *testing.T) {
				_, err := f.svc.Login(ctx, "10.0.0.2", tt.username, tt.password)
				fe := wantCode(t, err, fengqiao.ECodeUnauthenticated, "")
				if fe.Message != "wrong username or password" {
					t.Fatalf("message %q tells the refusals apart", fe.Message)
				}
			})
		}
		t.Run("missing fields are named", func(t *testing.T) {
			_, err := f.svc.Login(ctx, "10.0.0.3", "", "")
			wantCode(t, err, fengqiao.ECodeInvalid, "username")
			wantCode(t, err, fengqiao.ECodeInvalid, "password")
		})
		t.Run("an empty or forged token is unauthenticated", func(t *testing.T) {
			for _, token := range []string{"", "forged-token"} {
				_, err := f.svc.Authenticate(ctx, token)
				wantCode(t, err, fengqiao.ECodeUnauthenticated, "")
			}
		})
	})
}

func TestLoginThrottle(t *testing.T) {
	f := newFixture(t, storetest.SQLite(t))
	ctx := context.Background()
	f.user("clerk", "clerk-password", fengqiao.RoleClerk, "330203")
	f.user("other", "other-password", "", "")

	t.Run("the sixth attempt on an account within a minute is refused, even with the right password", func(t *testing.T) {
		for i := range 5 {
			_, err := f.svc.Login(ctx, "10.0.1."+strconv.Itoa(i), "clerk", "wrong")
			wantCode(t, err, fengqiao.ECodeUnauthenticated, "")
		}
		_, err := f.svc.Login(ctx, "10.0.1.9", "clerk", "clerk-password")
		fe := wantCode(t, err, fengqiao.ECodeRateLimited, "")
		secs, convErr := strconv.Atoi(fe.Details["retry_after"])
		if convErr != nil || secs < 1 || secs > 12 {
			t.Fatalf("retry_after %q, want 1-12 seconds", fe.Details["retry_after"])
		}
		if !strings.Contains(fe.Message, fe.Details["retry_after"]+" seconds") {
			t.Fatalf("message %q does not name the wait %s", fe.Message, fe.Details["retry_after"])
		}
		if _, err := f.svc.Login(ctx, "10.0.1.9", "other", "other-password"); err != nil {
			t.Fatalf("another account is throttled too: %v", err)
		}
	})
	t.Run("the 21st attempt from one address is refused, whatever the account", func(t *testing.T) {
		// known accounts: an unknown one costs a real hash's time, and 20 of those would earn tokens back
		for i := range 20 {
			f.user("u"+strconv.Itoa(i), "u-password", "", "")
		}
		for i := range 20 {
			_, err := f.svc.Login(ctx, "10.0.2.1", "u"+strconv.Itoa(i), "wrong")
			wantCode(t, err, fengqiao.ECodeUnauthenticated, "")
		}
		_, err := f.svc.Login(ctx, "10.0.2.1", "other", "other-password")
		wantCode(t, err, fengqiao.ECodeRateLimited, "")
		if _, err := f.svc.Login(ctx, "10.0.2.2", "other", "other-password"); err != nil {
			t.Fatalf("another address is throttled too: %v", err)
		}
	})
}

func TestAuthenticateDuringOutage(t *testing.T) {
	f := newFixture(t, storetest.SQLite(t))
	ctx := context.Background()
	sess, err := f.svc.Login(ctx, "10.0.0.1", "admin", "admin-password")
	if err != nil {
		t.Fatal(err)
	}
	down := outage(t, f.db)
	down.Store(true)
	_, err = f.svc.Authenticate(ctx, sess.Token)
	down.Store(false)
	if fengqiao.ErrorCode(err) == fengqiao.ECodeUnauthenticated || !store.IsUnavailable(err) {
		t.Fatalf("an outage answers %v; want the store's error, which the front ends answer 503", err)
	}
	if _, err := f.svc.Authenticate(ctx, sess.Token); err != nil {
		t.Fatalf("after the outage: %v", err)
	}
}

func TestUsers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		f.user("nosy", "nosy-password", fengqiao.RoleClerk, "330203")

		t.Run("bad fields are named", func(t *testing.T) {
			_, err := f.svc.CreateUser(ctx, "admin", accounts.NewUser{Username: "Bad Name", Password: "short", Phone: "123"})
			for _, field := range []string{"username", "password", "phone"} {
				wantCode(t, err, fengqiao.ECodeInvalid, field)
			}
		})
		t.Run("a non-admin may not create accounts, and the denial is audited", func(t *testing.T) {
			_, err := f.svc.CreateUser(ctx, "nosy", accounts.NewUser{Username: "sneaky", Password: "a long password"})
			wantCode(t, err, fengqiao.ECodeForbidden, "")
			if !f.audited("nosy", policy.ActionAdminUsers, "users", "denied") {
				t.Fatal("the denial is not in the audit log")
			}
			if _, err := db.User(ctx, "sneaky"); !errors.Is(err, store.ErrNotFound) {
				t.Fatalf("a denied request created the account: %v", err)
			}
		})
		u, err := f.svc.CreateUser(ctx, "admin", accounts.NewUser{Username: "li.mediator", Password: "a long password", DisplayName: "李调解", Phone: "13912345678"})
		if err != nil {
			t.Fatal(err)
		}
		if u.Username != "li.mediator" || u.DisplayName != "李调解" || u.Grants == nil || len(u.Grants) != 0 {
			t.Fatalf("created %+v", u)
		}
		if !f.audited("admin", policy.ActionAdminUsers, "user/li.mediator", "ok") {
			t.Fatal("the creation is not in the audit log")
		}
		entries, _ := db.AuditPage(ctx, 0, 1000)
		for _, e := range entries {
			if strings.Contains(e.Detail, "13912345678") || strings.Contains(e.Detail, "李调解") {
				t.Fatalf("the audit log holds personal data: %+v", e)
			}
		}
		t.Run("a taken username is a conflict", func(t *testing.T) {
			_, err := f.svc.CreateUser(ctx, "admin", accounts.NewUser{Username: "li.mediator", Password: "a long password"})
			wantCode(t, err, fengqiao.ECodeConflict, "")
		})
		t.Run("the new account logs in with a hash of bcrypt's cost", func(t *testing.T) {
			row, err := db.User(ctx, "li.mediator")
			if err != nil {
				t.Fatal(err)
			}
			if cost, err := bcrypt.Cost([]byte(row.PasswordHash)); err != nil || cost != accounts.BcryptCost {
				t.Fatalf("cost %d %v, want %d", cost, err, accounts.BcryptCost)
			}
			if _, err := f.svc.Login(ctx, "10.0.0.1", "li.mediator", "a long password"); err != nil {
				t.Fatal(err)
			}
		})
		t.Run("one's own account, or anyone's for an admin", func(t *testing.T) {
			if _, err := f.svc.User(ctx, "nosy", "nosy"); err != nil {
				t.Fatal(err)
			}
			_, err := f.svc.User(ctx, "nosy", "admin")
			wantCode(t, err, fengqiao.ECodeForbidden, "")
			if got, err := f.svc.User(ctx, "admin", "nosy"); err != nil || len(got.Grants) != 1 {
				t.Fatalf("admin reads nosy: %+v %v", got, err)
			}
			_, err = f.svc.User(ctx, "admin", "ghost")
			wantCode(t, err, fengqiao.ECodeNotFound, "")
		})
		t.Run("the list is paged with a cursor", func(t *testing.T) {
			p1, err := f.svc.Users(ctx, "admin", "", 2)
			if err != nil || len(p1.Items) != 2 || p1.Next == nil {
				t.Fatalf("page 1 %+v %v", p1, err)
			}
			p2, err := f.svc.Users(ctx, "admin", *p1.Next, 2)
			if err != nil || len(p2.Items) != 1 || p2.Next != nil {
				t.Fatalf("page 2 %+v %v", p2, err)
			}
			_, err = f.svc.Users(ctx, "admin", "", 0)
			wantCode(t, err, fengqiao.ECodeInvalid, "limit")
			_, err = f.svc.Users(ctx, "nosy", "", 10)
			wantCode(t, err, fengqiao.ECodeForbidden, "")
		})
	})
}

func TestGrants(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		f.user("county.admin", "county-password", fengqiao.RoleAdmin, "330203001")
		f.user("li", "li-password", "", "")
		mediator := accounts.GrantRequest{Role: fengqiao.RoleMediator, Jurisdiction: "330203001"}

		u, err := f.svc.Grant(ctx, "admin", "li", mediator)
		if err != nil || len(u.Grants) != 1 || u.Grants[0].Node != "330203001" {
			t.Fatalf("after grant: %+v %v", u, err)
		}
		if !f.audited("admin", policy.ActionAdminGrants, "user/li", "ok") {
			t.Fatal("the grant is not in the audit log")
		}
		t.Run("bad fields are named", func(t *testing.T) {
			_, err := f.svc.Grant(ctx, "admin", "li", accounts.GrantRequest{Role: "pope", Jurisdiction: "not a code!"})
			wantCode(t, err, fengqiao.ECodeInvalid, "role")
			wantCode(t, err, fengqiao.ECodeInvalid, "jurisdiction")
		})
		t.Run("an unknown user is not found", func(t *testing.T) {
			_, err := f.svc.Grant(ctx, "admin", "nobody", mediator)
			wantCode(t, err, fengqiao.ECodeNotFound, "")
		})
		t.Run("an admin grants only within their subtree", func(t *testing.T) {
			if _, err := f.svc.Grant(ctx, "county.admin", "li", accounts.GrantRequest{Role: fengqiao.RoleClerk, Jurisdiction: "330203001"}); err != nil {
				t.Fatal(err)
			}
			_, err := f.svc.Grant(ctx, "county.admin", "li", accounts.GrantRequest{Role: fengqiao.RoleClerk, Jurisdiction: "330203002"})
			wantCode(t, err, fengqiao.ECodeForbidden, "")
			if !f.audited("county.admin", policy.ActionAdminGrants, "user/li", "denied") {
				t.Fatal("the denial is not in the audit log")
			}
		})
		t.Run("revoke takes the role away; a role not held is not found", func(t *testing.T) {
			u, err := f.svc.Revoke(ctx, "admin", "li", mediator)
			if err != nil {
				t.Fatal(err)
			}
			for _, g := range u.Grants {
				if g.Role == fengqiao.RoleMediator {
					t.Fatalf("still a mediator: %+v", u)
				}
			}
			_, err = f.svc.Revoke(ctx, "admin", "li", mediator)
			wantCode(t, err, fengqiao.ECodeNotFound, "")
		})
	})
}

func TestJurisdictions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		f.user("town.admin", "town-password", fengqiao.RoleAdmin, "330203001")

		n, err := f.svc.CreateJurisdiction(ctx, "admin", accounts.NewJurisdiction{Code: " 330203003 ", Name: "新街道", Tier: fengqiao.TierTownship, ParentCode: "330203"})
		if err != nil || n.Path != "/330200/330203/330203003/" {
			t.Fatalf("created %+v %v", n, err)
		}
		if _, known := f.pol.PathOf("330203003"); !known {
			t.Fatal("the authorizer does not know the new node")
		}
		if !f.audited("admin", policy.ActionAdminJurisdictions, "jurisdiction/330203003", "ok") {
			t.Fatal("the creation is not in the audit log")
		}
		t.Run("bad fields are named", func(t *testing.T) {
			_, err := f.svc.CreateJurisdiction(ctx, "admin", accounts.NewJurisdiction{Code: "x y", Tier: "province"})
			for _, field := range []string{"code", "name", "tier"} {
				wantCode(t, err, fengqiao.ECodeInvalid, field)
			}
			_, err = f.svc.CreateJurisdiction(ctx, "admin", accounts.NewJurisdiction{Code: "330299001", Name: "x", Tier: fengqiao.TierTownship, ParentCode: "330299"})
			wantCode(t, err, fengqiao.ECodeInvalid, "parent_code")
		})
		t.Run("an admin adds nodes only under their subtree", func(t *testing.T) {
			if _, err := f.svc.CreateJurisdiction(ctx, "town.admin", accounts.NewJurisdiction{Code: "330203001001", Name: "孝闻社区", Tier: fengqiao.TierVillage, ParentCode: "330203001"}); err != nil {
				t.Fatal(err)
			}
			_, err := f.svc.CreateJurisdiction(ctx, "town.admin", accounts.NewJurisdiction{Code: "330203002001", Name: "x", Tier: fengqiao.TierVillage, ParentCode: "330203002"})
			wantCode(t, err, fengqiao.ECodeForbidden, "")
			_, err = f.svc.CreateJurisdiction(ctx, "town.admin", accounts.NewJurisdiction{Code: "330100", Name: "杭州市", Tier: fengqiao.TierCity})
			wantCode(t, err, fengqiao.ECodeForbidden, "")
			if !f.audited("town.admin", policy.ActionAdminJurisdictions, "jurisdiction/330100", "denied") {
				t.Fatal("the denial is not in the audit log")
			}
		})
		t.Run("get and list", func(t *testing.T) {
			if n, err := f.svc.Jurisdiction(ctx, "330203001"); err != nil || n.Name != "鼓楼街道" {
				t.Fatalf("got %+v %v", n, err)
			}
			_, err := f.svc.Jurisdiction(ctx, "404404")
			wantCode(t, err, fengqiao.ECodeNotFound, "")
			p1, err := f.svc.Jurisdictions(ctx, "330203", "", 2)
			if err != nil || len(p1.Items) != 2 || p1.Next == nil {
				t.Fatalf("page 1 %+v %v", p1, err)
			}
			p2, err := f.svc.Jurisdictions(ctx, "330203", *p1.Next, 2)
			if err != nil || len(p2.Items) != 1 || p2.Next != nil {
				t.Fatalf("page 2 %+v %v", p2, err)
			}
			roots, err := f.svc.Jurisdictions(ctx, "", "", 10)
			if err != nil || len(roots.Items) != 1 || roots.Items[0].Code != "330200" {
				t.Fatalf("roots %+v %v", roots, err)
			}
			empty, err := f.svc.Jurisdictions(ctx, "330203001001", "", 10)
			if err != nil || empty.Items == nil || len(empty.Items) != 0 {
				t.Fatalf("a leaf's children %+v %v, want an empty list", empty, err)
			}
		})
	})
}

func TestImportJurisdictions(t *testing.T) {
	f := newFixture(t, storetest.SQLite(t))
	ctx := context.Background()
	f.user("town.admin", "town-password", fengqiao.RoleAdmin, "330203001")
	t.Run("a bad file imports nothing and names every bad line", func(t *testing.T) {
		bad := "code,name,tier,parent_code\n330203009,新街道,township,330203\n330203009001,,village,330203009\n330203009002,x,city,330203009\n"
		_, err := f.svc.ImportJurisdictions(ctx, "admin", strings.NewReader(bad))
		wantCode(t, err, fengqiao.ECodeInvalid, "line 3")
		wantCode(t, err, fengqiao.ECodeInvalid, "line 4")
		if _, err := f.db.Node(ctx, "330203009"); err == nil {
			t.Fatal("a bad file imported its good rows")
		}
	})
	t.Run("only a city-wide admin imports", func(t *testing.T) {
		_, err := f.svc.ImportJurisdictions(ctx, "town.admin", strings.NewReader("code,name,tier,parent_code\n"))
		wantCode(t, err, fengqiao.ECodeForbidden, "")
		if !f.audited("town.admin", policy.ActionAdminJurisdictions, "jurisdictions/import", "denied") {
			t.Fatal("the denial is not in the audit log")
		}
	})
	t.Run("a file over the limit is too large", func(t *testing.T) {
		huge := io.MultiReader(strings.NewReader("code,name,tier,parent_code\n330203009,\""), endless{})
		_, err := f.svc.ImportJurisdictions(ctx, "admin", huge)
		wantCode(t, err, fengqiao.ECodeTooLarge, "")
	})
	good := "code,name,tier,parent_code\n330203009001,某村,village,330203009\n330203009,新街道,township,330203\n"
	n, err := f.svc.ImportJurisdictions(ctx, "admin", strings.NewReader(good))
	if err != nil || n != 2 {
		t.Fatalf("imported %d %v", n, err)
	}
	if _, known := f.pol.PathOf("330203009001"); !known {
		t.Fatal("the authorizer does not know the imported nodes")
	}
	if !f.audited("admin", policy.ActionAdminJurisdictions, "jurisdictions/import", "ok") {
		t.Fatal("the import is not in the audit log")
	}
}

// endless is an endless stream of 'a's.
type endless struct{}

func (endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 'a'
	}
	return len(p), nil
}

func TestOverview(t *testing.T) {
	f := newFixture(t, storetest.SQLite(t))
	ctx := context.Background()
	f.user("clerk", "clerk-password", fengqiao.RoleClerk, "330203")
	f.user("town.admin", "town-password", fengqiao.RoleAdmin, "330203001")

	o, err := f.svc.Overview(ctx, "admin")
	if err != nil {
		t.Fatal(err)
	}
	if !o.Jurisdictions || !o.Users || !o.Grants || len(o.Tree) != 4 || len(o.Accounts) != 3 || o.Tree[0].Code != "330200" {
		t.Fatalf("the admin's overview %+v", o)
	}
	o, err = f.svc.Overview(ctx, "town.admin")
	if err != nil {
		t.Fatal(err)
	}
	if !o.Jurisdictions || o.Users || o.Accounts != nil {
		t.Fatalf("a township admin's overview %+v: lists accounts only a city-wide admin may", o)
	}
	_, err = f.svc.Overview(ctx, "clerk")
	wantCode(t, err, fengqiao.ECodeForbidden, "")
	if !f.audited("clerk", policy.ActionAdminJurisdictions, "admin", "denied") {
		t.Fatal("the denial is not in the audit log")
	}
}

func TestHashPassword(t *testing.T) {
	hash, err := accounts.HashPassword("a long password")
	if err != nil {
		t.Fatal(err)
	}
	if bcrypt.CompareHashAndPassword([]byte(hash), []byte("a long password")) != nil {
		t.Fatal("the hash does not match its password")
	}
}
