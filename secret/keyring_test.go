package secret_test

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"fengqiao/secret"
)

// fixedKey is a key with every byte b, so that tests are reproducible.
func fixedKey(id string, b byte) secret.Key {
	return secret.Key{ID: id, Secret: bytes.Repeat([]byte{b}, secret.KeySize)}
}

func ring(t *testing.T, keys ...secret.Key) *secret.Keyring {
	t.Helper()
	kr, err := secret.NewKeyring(keys...)
	if err != nil {
		t.Fatal(err)
	}
	return kr
}

func TestSealOpen(t *testing.T) {
	kr := ring(t, fixedKey("k1", 1))
	const id = "330203199001011234"
	aad := []byte("case/1/party/1/id_number")
	sealed, err := kr.Seal([]byte(id), aad)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(sealed, []byte(id)) {
		t.Fatal("ciphertext holds the plaintext")
	}
	// Header: version 1, id length 2, "k1", then a 12-byte nonce and ciphertext+16-byte tag.
	if sealed[0] != 1 || sealed[1] != 2 || string(sealed[2:4]) != "k1" || len(sealed) != 4+12+len(id)+16 {
		t.Fatalf("unexpected layout % x", sealed[:4])
	}
	flip := func(i int) []byte {
		c := bytes.Clone(sealed)
		c[i] ^= 0x01
		return c
	}
	tests := []struct {
		name    string
		in      []byte
		aad     []byte
		wantErr error
	}{
		{"round trip", sealed, aad, nil},
		{"other aad", sealed, []byte("case/2/party/1/id_number"), secret.ErrAuth},
		{"no aad", sealed, nil, secret.ErrAuth},
		{"version changed", flip(0), aad, secret.ErrMalformed},
		{"key id changed", flip(3), aad, secret.ErrUnknownKey},
		{"nonce changed", flip(5), aad, secret.ErrAuth},
		{"ciphertext changed", flip(20), aad, secret.ErrAuth},
		{"tag changed", flip(len(sealed) - 1), aad, secret.ErrAuth},
		{"truncated", sealed[:len(sealed)-1], aad, secret.ErrAuth},
		{"too short for a nonce", sealed[:10], aad, secret.ErrMalformed},
		{"empty", nil, aad, secret.ErrMalformed},
		{"id length past the end", []byte{1, 200, 'k'}, aad, secret.ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := kr.Open(tt.in, tt.aad)
			if tt.wantErr == nil {
				if err != nil || string(got) != id {
					t.Fatalf("Open = %q, %v; want %q", got, err, id)
				}
				return
			}
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Open = %q, %v; want %v", got, err, tt.wantErr)
			}
		})
	}
	t.Run("fresh nonce every time", func(t *testing.T) {
		again, err := kr.Seal([]byte(id), aad)
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Equal(again, sealed) {
			t.Fatal("two seals of the same value are equal: the nonce is not random")
		}
	})
}

func TestSealString(t *testing.T) {
	kr := ring(t, fixedKey("k1", 1))
	const phone = "13800138000"
	s, err := kr.SealString(phone, "phone")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(s, phone) || strings.ContainsAny(s, "+/=") {
		t.Fatalf("SealString = %q: want URL-safe base64 without the plaintext", s)
	}
	tests := []struct {
		name    string
		in, aad string
		wantErr error
	}{
		{"round trip", s, "phone", nil},
		{"other aad", s, "id_number", secret.ErrAuth},
		{"not base64", "!!!", "phone", secret.ErrMalformed},
		{"tampered", s[:len(s)-2] + strings.Map(func(r rune) rune {
			if r == 'A' {
				return 'B'
			}
			return 'A'
		}, s[len(s)-2:]), "phone", secret.ErrAuth},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := kr.OpenString(tt.in, tt.aad)
			if tt.wantErr == nil {
				if err != nil || got != phone {
					t.Fatalf("OpenString = %q, %v", got, err)
				}
				return
			}
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("OpenString = %q, %v; want %v", got, err, tt.wantErr)
			}
		})
	}
}

func TestRotation(t *testing.T) {
	old := fixedKey("2026a", 1)
	newer := fixedKey("2027a", 2)
	oldRing := ring(t, old)
	rotated := ring(t, newer, old)
	sealedOld, err := oldRing.Seal([]byte("330203199001011234"), nil)
	if err != nil {
		t.Fatal(err)
	}
	sealedNew, err := rotated.Seal([]byte("330203199001011234"), nil)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		ring    *secret.Keyring
		in      []byte
		wantID  string
		wantErr error
	}{
		{"new ring opens old data", rotated, sealedOld, "2026a", nil},
		{"new ring seals with the new key", rotated, sealedNew, "2027a", nil},
		{"old ring cannot open new data", oldRing, sealedNew, "2027a", secret.ErrUnknownKey},
		{"dropping the old key loses old data", ring(t, newer), sealedOld, "2026a", secret.ErrUnknownKey},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if id, err := secret.KeyID(tt.in); err != nil || id != tt.wantID {
				t.Fatalf("KeyID = %q, %v; want %q", id, err, tt.wantID)
			}
			got, err := tt.ring.Open(tt.in, nil)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Open = %v, want %v", err, tt.wantErr)
			}
			if tt.wantErr == nil && string(got) != "330203199001011234" {
				t.Fatalf("Open = %q", got)
			}
		})
	}
}

func TestHash(t *testing.T) {
	a := ring(t, fixedKey("a", 1))
	aAgain := ring(t, fixedKey("renamed", 1)) // same material after a restart, whatever its id
	b := ring(t, fixedKey("b", 2))
	rotated := ring(t, fixedKey("b", 2), fixedKey("a", 1))
	const id = "330203199001011234"
	h := a.Hash("id_number", id)
	tests := []struct {
		name  string
		got   string
		equal bool
	}{
		{"stable across restarts", aAgain.Hash("id_number", id), true},
		{"other value", a.Hash("id_number", "330203199001011235"), false},
		{"other purpose", a.Hash("phone", id), false},
		{"purpose does not run into value", a.Hash("id_number3", "30203199001011234"), false},
		{"other key", b.Hash("id_number", id), false},
		{"rotation: HashAll holds the old hash", rotated.HashAll("id_number", id)[1], true},
		{"rotation: HashAll starts with Hash", rotated.HashAll("id_number", id)[0], false},
	}
	if len(h) != 64 || strings.Trim(h, "0123456789abcdef") != "" || strings.Contains(h, id) {
		t.Fatalf("Hash = %q, want 64 hex digits", h)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if (tt.got == h) != tt.equal {
				t.Fatalf("got %s, Hash %s, want equal %v", tt.got, h, tt.equal)
			}
		})
	}
	if rotated.HashAll("id_number", id)[0] != rotated.Hash("id_number", id) {
		t.Fatal("HashAll[0] != Hash")
	}
}

func TestNewKeyring(t *testing.T) {
	tests := []struct {
		name    string
		keys    []secret.Key
		wantErr string
	}{
		{"one key", []secret.Key{fixedKey("a", 1)}, ""},
		{"derived id", []secret.Key{{Secret: bytes.Repeat([]byte{1}, 32)}}, ""},
		{"no keys", nil, "no keys"},
		{"short key", []secret.Key{{ID: "a", Secret: []byte("short")}}, "5 bytes, want 32"},
		{"duplicate id", []secret.Key{fixedKey("a", 1), fixedKey("a", 2)}, `"a" appears twice`},
		{"bad id", []secret.Key{fixedKey("a b", 1)}, "only A-Z"},
		{"long id", []secret.Key{fixedKey(strings.Repeat("x", 65), 1)}, "1 to 64"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			kr, err := secret.NewKeyring(tt.keys...)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatal(err)
				}
				if want := tt.keys[0].ID; want != "" && kr.PrimaryID() != want {
					t.Fatalf("PrimaryID = %q, want %q", kr.PrimaryID(), want)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("NewKeyring = %v, want error containing %q", err, tt.wantErr)
			}
		})
	}
	t.Run("printing does not leak key material", func(t *testing.T) {
		k := secret.GenerateKey()
		kr := ring(t, k)
		out := fmt.Sprintf("%v %+v %#v %v %+v %#v %s", k, k, k, kr, kr, kr, []secret.Key{k})
		if strings.Contains(out, base64.StdEncoding.EncodeToString(k.Secret)) || strings.Contains(out, fmt.Sprint(k.Secret)) ||
			strings.Contains(out, fmt.Sprintf("%x", k.Secret)) || !strings.Contains(out, k.ID) {
			t.Fatalf("printed %s", out)
		}
	})
}

func TestParseKey(t *testing.T) {
	raw := bytes.Repeat([]byte{7}, 32)
	std := base64.StdEncoding.EncodeToString(raw)
	tests := []struct {
		name    string
		in      string
		wantID  string
		wantErr string
	}{
		{"id and key", "k1:" + std, "k1", ""},
		{"bare key gets the derived id", std, secret.DeriveID(raw), ""},
		{"url alphabet without padding", "k1:" + base64.RawURLEncoding.EncodeToString(raw), "k1", ""},
		{"spaces", "  k1 : " + std + "\n", "k1", ""},
		{"EnvValue round trip", secret.Key{ID: "x", Secret: raw}.EnvValue(), "x", ""},
		{"not base64", "k1:???", "", "not base64"},
		{"16-byte key", "k1:" + base64.StdEncoding.EncodeToString(raw[:16]), "", "16 bytes, want 32"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k, err := secret.ParseKey(tt.in)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("ParseKey = %v, want error containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || k.ID != tt.wantID || !bytes.Equal(k.Secret, raw) {
				t.Fatalf("ParseKey = %v, %v; want id %q", k, err, tt.wantID)
			}
		})
	}
}

func TestLoadKeyring(t *testing.T) {
	k1, k2 := fixedKey("2027a", 1), fixedKey("2026a", 2)
	tests := []struct {
		name      string
		keys, key string
		wantIDs   []string
		wantErr   string
	}{
		{"FENGQIAO_KEYS newest first", k1.EnvValue() + "," + k2.EnvValue(), "", []string{"2027a", "2026a"}, ""},
		{"FENGQIAO_KEYS wins over FENGQIAO_KEY", k1.EnvValue(), base64.StdEncoding.EncodeToString(k2.Secret), []string{"2027a"}, ""},
		{"FENGQIAO_KEY", "", base64.StdEncoding.EncodeToString(k2.Secret), []string{secret.DeriveID(k2.Secret)}, ""},
		{"bad entry named", k1.EnvValue() + ",2026a:short", "", nil, "FENGQIAO_KEYS entry 2"},
		{"duplicate ids", k1.EnvValue() + "," + k1.EnvValue(), "", nil, "appears twice"},
		{"FENGQIAO_KEY with an id", "", k1.EnvValue(), nil, "bare base64 key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv(secret.EnvKeys, tt.keys)
			t.Setenv(secret.EnvKey, tt.key)
			kr, err := secret.LoadKeyring("")
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("LoadKeyring = %v, want error containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || fmt.Sprint(kr.IDs()) != fmt.Sprint(tt.wantIDs) {
				t.Fatalf("LoadKeyring = %v, %v; want ids %v", kr, err, tt.wantIDs)
			}
		})
	}

	t.Run("key file created once with mode 0600", func(t *testing.T) {
		t.Setenv(secret.EnvKeys, "")
		t.Setenv(secret.EnvKey, "")
		dir := t.TempDir()
		first, err := secret.LoadKeyring(dir)
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(dir, "keys", "secret.key")
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != 0o600 {
			t.Errorf("mode %v, want 0600", fi.Mode().Perm())
		}
		if di, err := os.Stat(filepath.Dir(path)); err != nil || di.Mode().Perm() != 0o700 {
			t.Errorf("keys folder: %v, %v; want mode 0700", di.Mode().Perm(), err)
		}
		second, err := secret.LoadKeyring(dir)
		if err != nil {
			t.Fatal(err)
		}
		if first.PrimaryID() != second.PrimaryID() || first.Hash("id_number", "x") != second.Hash("id_number", "x") {
			t.Fatal("a restart must find the same key")
		}
		sealed, err := first.Seal([]byte("v"), nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := second.Open(sealed, nil); err != nil {
			t.Fatalf("the restarted keyring cannot open: %v", err)
		}
		// Moving to FENGQIAO_KEYS: the file key listed without an id opens what it sealed.
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		t.Setenv(secret.EnvKeys, k1.EnvValue()+","+strings.TrimSpace(string(data)))
		moved, err := secret.LoadKeyring(dir)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := moved.Open(sealed, nil); err != nil || moved.PrimaryID() != "2027a" {
			t.Fatalf("after moving to %s: Open %v, primary %s", secret.EnvKeys, err, moved.PrimaryID())
		}
	})

	t.Run("concurrent first start agrees on one key", func(t *testing.T) {
		t.Setenv(secret.EnvKeys, "")
		t.Setenv(secret.EnvKey, "")
		dir := t.TempDir()
		ids := make([]string, 8)
		errs := make([]error, 8)
		var wg sync.WaitGroup
		for i := range ids {
			wg.Go(func() {
				kr, err := secret.LoadKeyring(dir)
				errs[i] = err
				if err == nil {
					ids[i] = kr.PrimaryID()
				}
			})
		}
		wg.Wait()
		for i := range ids {
			if errs[i] != nil || ids[i] != ids[0] {
				t.Fatalf("start %d: id %q, %v; start 0: %q", i, ids[i], errs[i], ids[0])
			}
		}
	})

	t.Run("key file readable by others is refused", func(t *testing.T) {
		t.Setenv(secret.EnvKeys, "")
		t.Setenv(secret.EnvKey, "")
		dir := t.TempDir()
		if err := os.MkdirAll(filepath.Join(dir, "keys"), 0o700); err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(dir, "keys", "secret.key")
		if err := os.WriteFile(path, []byte(base64.StdEncoding.EncodeToString(k1.Secret)), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(path, 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := secret.LoadKeyring(dir); err == nil || !strings.Contains(err.Error(), "chmod 600") {
			t.Fatalf("LoadKeyring = %v, want a chmod 600 error", err)
		}
	})

	t.Run("no key anywhere", func(t *testing.T) {
		t.Setenv(secret.EnvKeys, "")
		t.Setenv(secret.EnvKey, "")
		if _, err := secret.LoadKeyring(""); err == nil || !strings.Contains(err.Error(), "FENGQIAO_KEYS") {
			t.Fatalf("LoadKeyring = %v", err)
		}
	})
}

func FuzzOpen(f *testing.F) {
	kr, err := secret.NewKeyring(fixedKey("k1", 1))
	if err != nil {
		f.Fatal(err)
	}
	sealed, err := kr.Seal([]byte("330203199001011234"), []byte("aad"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(sealed, []byte("aad"))
	f.Add([]byte{1, 2, 'k', '1'}, []byte(nil))
	f.Add([]byte{}, []byte("aad"))
	f.Fuzz(func(t *testing.T, c, aad []byte) {
		// Open must never panic, and without the key nothing but the sealed value can open.
		if plain, err := kr.Open(c, aad); err == nil && string(plain) != "330203199001011234" {
			t.Fatalf("Open accepted a forgery: %q", plain)
		}
	})
}
