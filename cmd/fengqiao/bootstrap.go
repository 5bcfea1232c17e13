package main

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"strings"

	"fengqiao"
	"fengqiao/api"
	"fengqiao/app"
	"fengqiao/demo"
	"fengqiao/policy"
	"fengqiao/store"
)

type adminLogin struct {
	password  string // set only when this start created the admin
	generated bool
	existed   bool
}

// ensureAdmin creates the bootstrap admin on the first start: password from FENGQIAO_ADMIN_PASSWORD or
// generated (and printed once). It never resets an existing admin's password.
func ensureAdmin(ctx context.Context, a *app.App, password string) (adminLogin, error) {
	_, err := a.DB.User(ctx, "admin")
	if err == nil {
		return adminLogin{existed: true}, a.Policy.Grant(ctx, "admin", fengqiao.RoleAdmin, policy.Global)
	}
	if !errors.Is(err, store.ErrNotFound) {
		return adminLogin{}, err
	}
	login := adminLogin{password: password}
	if password == "" {
		login.password, login.generated = generatePassword(), true
	}
	hash, err := api.HashPassword(login.password)
	if err != nil {
		return adminLogin{}, err
	}
	if _, err := a.DB.CreateUser(ctx, store.UserRow{Username: "admin", PasswordHash: hash, DisplayName: "系统管理员"}); err != nil {
		if fengqiao.ErrorCode(err) == fengqiao.ECodeConflict { // another process created it first
			return adminLogin{existed: true}, nil
		}
		return adminLogin{}, err
	}
	return login, a.Policy.Grant(ctx, "admin", fengqiao.RoleAdmin, policy.Global)
}

func generatePassword() string {
	const alphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	var b [16]byte
	_, _ = rand.Read(b[:])
	out := make([]byte, len(b))
	for i, v := range b {
		out[i] = alphabet[int(v)%len(alphabet)]
	}
	return string(out)
}

// banner prints what a newcomer needs after `make run`.
func banner(w io.Writer, url, temporal, ui string, cfg config, admin adminLogin, logins []demo.Login) {
	line := strings.Repeat("─", 72)
	fmt.Fprintln(w, line)
	fmt.Fprintf(w, "  枫桥 Fengqiao is running\n\n")
	fmt.Fprintf(w, "  web & API      %s      (health: %s/readyz)\n", url, url)
	fmt.Fprintf(w, "  Temporal       %s      (temporal workflow list --address %s)\n", temporal, temporal)
	if ui != "" {
		fmt.Fprintf(w, "  Temporal UI    %s\n", ui)
	}
	fmt.Fprintf(w, "  data folder    %s\n\n", cfg.Data)
	switch {
	case admin.generated:
		fmt.Fprintf(w, "  admin login    admin / %s   (generated; shown only this once)\n", admin.password)
	case admin.existed:
		fmt.Fprintf(w, "  admin login    admin / (the password set on first start)\n")
	default:
		fmt.Fprintf(w, "  admin login    admin / (FENGQIAO_ADMIN_PASSWORD)\n")
	}
	if len(logins) > 0 {
		fmt.Fprintf(w, "\n  demo logins (password %s):\n", demo.Password)
		for _, l := range logins {
			fmt.Fprintf(w, "    %-16s %-14s %s %s\n", l.Username, l.Role, l.Node, l.NodeName)
		}
	}
	fmt.Fprintln(w, line)
}
