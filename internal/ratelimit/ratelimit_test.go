package ratelimit

import (
	"testing"
	"time"

	"fengqiao"
)

func TestKeyedCountsEachKeyOnItsOwn(t *testing.T) {
	l := New(time.Hour, 2)
	for i := 0; i < 2; i++ {
		if ok, _ := l.Allow("a"); !ok {
			t.Fatalf("token %d of a burst of 2 refused", i+1)
		}
	}
	ok, wait := l.Allow("a")
	if ok || wait <= 0 || wait > time.Hour {
		t.Fatalf("a third token within the hour: ok=%v wait=%v", ok, wait)
	}
	if ok, _ := l.Allow("b"); !ok {
		t.Fatal("another key has its own bucket")
	}
}

func TestSpentAndUntouchedDoNotTakeTokens(t *testing.T) {
	l := New(time.Hour, 1)
	if !l.Untouched("k") {
		t.Fatal("a key never seen is untouched")
	}
	if spent, _ := l.Spent("k"); spent {
		t.Fatal("a fresh key is not spent")
	}
	if spent, _ := l.Spent("k"); spent || !l.Untouched("k") {
		t.Fatal("asking must not take a token")
	}
	l.Take("k")
	if spent, wait := l.Spent("k"); !spent || wait <= 0 {
		t.Fatalf("after its one token: spent=%v wait=%v", spent, wait)
	}
	if l.Untouched("k") {
		t.Fatal("a key that lost a token is not untouched")
	}
}

func TestErrorSaysWhenToRetry(t *testing.T) {
	fe := Error(1500*time.Millisecond, "wait")
	if fe.Code != fengqiao.ECodeRateLimited || fe.Details["retry_after"] != "2" {
		t.Fatalf("%+v", fe)
	}
}
