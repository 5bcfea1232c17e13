package accounts_test

import (
	"context"
	"testing"

	"fengqiao"
	"fengqiao/policy"
	"fengqiao/store"
	"fengqiao/store/storetest"
)

func TestDisabledUserCannotLogInAndTheirSessionsStop(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		f.user("clerk", "clerk-password", fengqiao.RoleClerk, "330203001")
		sess, err := f.svc.Login(ctx, "10.0.0.1", "clerk", "clerk-password")
		if err != nil {
			t.Fatal(err)
		}
		f.user("other", "other-password", fengqiao.RoleClerk, "330203001")
		_, err = f.svc.SetDisabled(ctx, "other", "clerk", true)
		wantCode(t, err, fengqiao.ECodeForbidden, "")
		_, err = f.svc.SetDisabled(ctx, "admin", "admin", true)
		wantCode(t, err, fengqiao.ECodeNotAllowed, "")

		u, err := f.svc.SetDisabled(ctx, "admin", "clerk", true)
		if err != nil || !u.Disabled {
			t.Fatalf("disable: %+v %v", u, err)
		}
		if _, err := f.svc.Authenticate(ctx, sess.Token); fengqiao.ErrorCode(err) != fengqiao.ECodeUnauthenticated {
			t.Fatalf("the disabled user's token still works: %v", err)
		}
		if _, err := f.svc.Login(ctx, "10.0.0.1", "clerk", "clerk-password"); fengqiao.ErrorCode(err) != fengqiao.ECodeUnauthenticated {
			t.Fatalf("a disabled user logged in: %v", err)
		}
		if !f.audited("admin", policy.ActionAdminUsers, "user/clerk", "ok") {
			t.Error("disabling is not audited")
		}
		if _, err := f.svc.SetDisabled(ctx, "admin", "clerk", false); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Login(ctx, "10.0.0.1", "clerk", "clerk-password"); err != nil {
			t.Fatalf("an enabled user cannot log in: %v", err)
		}
	})
}

func TestResetPasswordGivesAOneTimePasswordAndEndsSessions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		f.user("clerk", "clerk-password", fengqiao.RoleClerk, "330203001")
		sess, err := f.svc.Login(ctx, "10.0.0.1", "clerk", "clerk-password")
		if err != nil {
			t.Fatal(err)
		}
		pw, err := f.svc.ResetPassword(ctx, "admin", "clerk")
		if err != nil || len(pw) < 12 {
			t.Fatalf("reset: %q %v", pw, err)
		}
		if _, err := f.svc.Authenticate(ctx, sess.Token); fengqiao.ErrorCode(err) != fengqiao.ECodeUnauthenticated {
			t.Fatalf("the old session survives a reset: %v", err)
		}
		if _, err := f.svc.Login(ctx, "10.0.0.1", "clerk", "clerk-password"); err == nil {
			t.Fatal("the old password still works")
		}
		if _, err := f.svc.Login(ctx, "10.0.0.1", "clerk", pw); err != nil {
			t.Fatalf("the new password does not: %v", err)
		}
		if len(storetest.InStorage(t, db, pw)) != 0 {
			t.Fatal("the one-time password is stored in clear")
		}
		_, err = f.svc.ResetPassword(ctx, "admin", "nobody")
		wantCode(t, err, fengqiao.ECodeNotFound, "")
	})
}

func TestRenameAndSearchJurisdictions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		n, err := f.svc.RenameJurisdiction(ctx, "admin", "330203001", "鼓楼街道（新）")
		if err != nil || n.Name != "鼓楼街道（新）" || n.Path != "/330200/330203/330203001/" {
			t.Fatalf("rename: %+v %v", n, err)
		}
		_, err = f.svc.RenameJurisdiction(ctx, "admin", "330203001", " ")
		wantCode(t, err, fengqiao.ECodeInvalid, "name")
		f.user("town-admin", "town-password", fengqiao.RoleAdmin, "330203002")
		_, err = f.svc.RenameJurisdiction(ctx, "town-admin", "330203001", "x")
		wantCode(t, err, fengqiao.ECodeForbidden, "")
		for q, want := range map[string]int{"3302030": 2, "鼓楼": 1, "街道": 2, "%": 0} {
			got, err := f.svc.SearchJurisdictions(ctx, q, 10)
			if err != nil || len(got) != want {
				t.Errorf("search %q: %v %v, want %d", q, got, err, want)
			}
		}
	})
}
