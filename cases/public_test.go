package cases_test

import (
	"context"
	"testing"

	"fengqiao"
	"fengqiao/cases"
	"fengqiao/internal/wanterr"
	"fengqiao/store/storetest"
)

// TestWrongDigitsLockTheGuessingAddressNotTheParty: wrong phone digits are counted per query code and
// address, so whoever learns a code can lock only themselves out; once the code has taken too many
// wrong digits from all addresses together, an address that has guessed wrong is refused even with
// the right digits, while the party's own address still gets through.
func TestWrongDigitsLockTheGuessingAddressNotTheParty(t *testing.T) {
	e := newEnv(t, storetest.SQLite(t))
	ctx := context.Background()
	v, _, err := e.svc.Open(ctx, countyClerk, disputeIntake())
	if err != nil {
		t.Fatal(err)
	}
	waitRow(t, e, v) // the parties are projected with the first step
	right := applicantPhone[len(applicantPhone)-4:]
	guess := func(addr, digits string) error {
		_, err := e.svc.Public(ctx, addr, v.QueryCode, digits)
		return err
	}
	for i := 0; i < cases.GuessLimit; i++ {
		wanterr.Code(t, guess("198.51.100.7", "0000"), fengqiao.ECodeNotFound)
	}
	t.Run("the guessing address is locked, even with the right digits", func(t *testing.T) {
		fe := wanterr.Code(t, guess("198.51.100.7", right), fengqiao.ECodeRateLimited)
		if fe.Details["retry_after"] == "" {
			t.Errorf("a lock must say when to retry: %+v", fe)
		}
	})
	t.Run("the party at another address gets through", func(t *testing.T) {
		if err := guess("203.0.113.5", right); err != nil {
			t.Fatalf("the right digits from an address that never failed: %v", err)
		}
	})
	t.Run("after the code's own limit, only addresses that never failed get through", func(t *testing.T) {
		for i := 0; i < cases.CodeGuessLimit; i++ {
			_ = guess("192.0.2."+string(rune('a'+i)), "1111") // one wrong guess each from many addresses
		}
		wanterr.Code(t, guess("192.0.2.a", right), fengqiao.ECodeRateLimited)
		if err := guess("203.0.113.9", right); err != nil {
			t.Fatalf("the party's own address must still get through: %v", err)
		}
	})
	t.Run("digits that are not four digits name the field", func(t *testing.T) {
		fe := wanterr.Code(t, guess("203.0.113.5", "12a4"), fengqiao.ECodeInvalid)
		if len(fe.Fields) != 1 || fe.Fields[0].Field != "phone_last4" {
			t.Errorf("fields %+v", fe.Fields)
		}
	})
}
