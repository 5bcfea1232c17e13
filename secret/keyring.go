package secret

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// KeySize is the size of an AES-256 key in bytes.
const KeySize = 32

// The environment variables LoadKeyring reads.
const (
	// EnvKeys holds several keys, newest first: "id:base64key,id:base64key".
	EnvKeys = "FENGQIAO_KEYS"
	// EnvKey holds one base64 key; its id is derived from it.
	EnvKey = "FENGQIAO_KEY"
)

// KeyFile is where LoadKeyring keeps the generated key, relative to the data folder.
const KeyFile = "keys/secret.key"

// version is the first byte of every ciphertext.
const version byte = 1

// Errors returned by Open; test with errors.Is.
var (
	// ErrUnknownKey means the ciphertext was sealed with a key that is not in the keyring.
	ErrUnknownKey = errors.New("secret: sealed with a key that is not in the keyring")
	// ErrMalformed means the ciphertext is not in this package's format.
	ErrMalformed = errors.New("secret: malformed ciphertext")
	// ErrAuth means the ciphertext or its additional data was changed, or the key is wrong.
	ErrAuth = errors.New("secret: message authentication failed")
)

// Key is one AES-256 key with its id. The id is written in the header of every ciphertext it seals so
// that Open finds the key again after a rotation.
type Key struct {
	// ID names the key: 1 to 64 characters of A-Z a-z 0-9 . _ -. NewKeyring derives it when empty.
	ID string
	// Secret is the 32-byte key material.
	Secret []byte
}

// GenerateKey returns a new random key with a derived id.
func GenerateKey() Key {
	b := make([]byte, KeySize)
	rand.Read(b) // never returns an error; crashes the program if the system has no randomness
	return Key{ID: DeriveID(b), Secret: b}
}

// DeriveID is the id of a key given without one: 8 hex digits of an HMAC of a fixed label under the key,
// which says nothing about the key.
func DeriveID(secret []byte) string {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte("fengqiao key id"))
	return hex.EncodeToString(m.Sum(nil)[:4])
}

// ParseKey reads "id:base64key" or a bare base64 key (standard or URL alphabet, padded or not).
func ParseKey(s string) (Key, error) {
	s = strings.TrimSpace(s)
	id, b64, found := strings.Cut(s, ":")
	if !found {
		id, b64 = "", s
	}
	secret, err := decodeBase64(strings.TrimSpace(b64))
	if err != nil {
		return Key{}, fmt.Errorf("secret: key %q: not base64", id)
	}
	k := Key{ID: strings.TrimSpace(id), Secret: secret}
	if k.ID == "" {
		k.ID = DeriveID(secret)
	}
	if err := k.check(); err != nil {
		return Key{}, err
	}
	return k, nil
}

func decodeBase64(s string) ([]byte, error) {
	var err error
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		var b []byte
		if b, err = enc.DecodeString(s); err == nil {
			return b, nil
		}
	}
	return nil, err
}

// EnvValue is the key as an entry of FENGQIAO_KEYS: "id:base64key".
func (k Key) EnvValue() string { return k.ID + ":" + base64.StdEncoding.EncodeToString(k.Secret) }

// String shows the id only, so that a key printed by mistake does not leak.
func (k Key) String() string { return "secret.Key(" + k.ID + ")" }

// GoString shows the id only, like String.
func (k Key) GoString() string { return k.String() }

func (k Key) check() error {
	if len(k.Secret) != KeySize {
		return fmt.Errorf("secret: key %q: %d bytes, want %d (AES-256)", k.ID, len(k.Secret), KeySize)
	}
	if len(k.ID) == 0 || len(k.ID) > 64 {
		return fmt.Errorf("secret: key id %q: want 1 to 64 characters", k.ID)
	}
	for _, r := range k.ID {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '_' || r == '-') {
			return fmt.Errorf("secret: key id %q: only A-Z a-z 0-9 . _ - are allowed", k.ID)
		}
	}
	return nil
}

// Keyring holds the keys that protect personal data (PIPL 51 (三): 加密、去标识化等安全技术措施). The first
// key is the primary: it seals and it keys Hash. Every key opens. A Keyring is immutable and safe for
// concurrent use.
type Keyring struct {
	keys    []keyEntry // primary first
	hashKey []byte     // HKDF of the primary key, for Hash
}

type keyEntry struct {
	id   string
	aead cipher.AEAD
	hash []byte
}

// NewKeyring builds a keyring from keys, newest (primary) first. Keys without an id get a derived one;
// ids must be unique.
func NewKeyring(keys ...Key) (*Keyring, error) {
	if len(keys) == 0 {
		return nil, errors.New("secret: no keys")
	}
	kr := &Keyring{}
	seen := map[string]bool{}
	for _, k := range keys {
		if k.ID == "" {
			k.ID = DeriveID(k.Secret)
		}
		if err := k.check(); err != nil {
			return nil, err
		}
		if seen[k.ID] {
			return nil, fmt.Errorf("secret: key id %q appears twice", k.ID)
		}
		seen[k.ID] = true
		block, err := aes.NewCipher(k.Secret)
		if err != nil {
			return nil, fmt.Errorf("secret: key %q: %w", k.ID, err)
		}
		aead, err := cipher.NewGCM(block)
		if err != nil {
			return nil, fmt.Errorf("secret: key %q: %w", k.ID, err)
		}
		hk, err := hkdf.Key(sha256.New, k.Secret, nil, "fengqiao secret hash v1", sha256.Size)
		if err != nil {
			return nil, fmt.Errorf("secret: key %q: %w", k.ID, err)
		}
		kr.keys = append(kr.keys, keyEntry{id: k.ID, aead: aead, hash: hk})
	}
	kr.hashKey = kr.keys[0].hash
	return kr, nil
}

// LoadKeyring finds the keys, in this order:
//   - FENGQIAO_KEYS: comma-separated "id:base64key", newest first (see the package documentation on
//     rotation);
//   - FENGQIAO_KEY: one base64 32-byte key, its id derived;
//   - the file <dataDir>/keys/secret.key, created on first use with 32 random bytes in base64, mode 0600
//     in a folder of mode 0700. An existing file readable by group or others is refused.
func LoadKeyring(dataDir string) (*Keyring, error) {
	if v := strings.TrimSpace(os.Getenv(EnvKeys)); v != "" {
		var keys []Key
		for i, part := range strings.Split(v, ",") {
			if strings.TrimSpace(part) == "" {
				continue
			}
			k, err := ParseKey(part)
			if err != nil {
				return nil, fmt.Errorf("%s entry %d: %w", EnvKeys, i+1, err)
			}
			keys = append(keys, k)
		}
		kr, err := NewKeyring(keys...)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", EnvKeys, err)
		}
		return kr, nil
	}
	if v := strings.TrimSpace(os.Getenv(EnvKey)); v != "" {
		if strings.Contains(v, ":") {
			return nil, fmt.Errorf("%s holds one bare base64 key; put \"id:key\" entries in %s", EnvKey, EnvKeys)
		}
		k, err := ParseKey(v)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", EnvKey, err)
		}
		return NewKeyring(k)
	}
	if dataDir == "" {
		return nil, fmt.Errorf("secret: no key: set %s or %s, or give a data folder", EnvKeys, EnvKey)
	}
	k, err := loadOrCreateKeyFile(filepath.Join(dataDir, filepath.FromSlash(KeyFile)))
	if err != nil {
		return nil, err
	}
	return NewKeyring(k)
}

func loadOrCreateKeyFile(path string) (Key, error) {
	k, err := readKeyFile(path)
	if err == nil || !errors.Is(err, fs.ErrNotExist) {
		return k, err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return Key{}, fmt.Errorf("secret: %w", err)
	}
	// Write a temporary file and link it into place: the link fails if another process (a worker
	// starting beside the server) created the key first, and then both use that one.
	tmp, err := os.CreateTemp(filepath.Dir(path), ".secret.key.*")
	if err != nil {
		return Key{}, fmt.Errorf("secret: %w", err)
	}
	defer os.Remove(tmp.Name())
	nk := GenerateKey()
	_, werr := tmp.WriteString(base64.StdEncoding.EncodeToString(nk.Secret) + "\n")
	if err := errors.Join(werr, tmp.Chmod(0o600), tmp.Sync(), tmp.Close()); err != nil {
		return Key{}, fmt.Errorf("secret: writing %s: %w", path, err)
	}
	if err := os.Link(tmp.Name(), path); err != nil && !errors.Is(err, fs.ErrExist) {
		return Key{}, fmt.Errorf("secret: creating %s: %w", path, err)
	}
	return readKeyFile(path)
}

func readKeyFile(path string) (Key, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return Key{}, fmt.Errorf("secret: %w", err)
	}
	if runtime.GOOS != "windows" && fi.Mode().Perm()&0o077 != 0 {
		return Key{}, fmt.Errorf("secret: %s is readable by others (mode %v): chmod 600 it", path, fi.Mode().Perm())
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return Key{}, fmt.Errorf("secret: %w", err)
	}
	k, err := ParseKey(string(data))
	if err != nil {
		return Key{}, fmt.Errorf("secret: %s: %w", path, err)
	}
	return k, nil
}

// PrimaryID is the id of the key that seals.
func (k *Keyring) PrimaryID() string { return k.keys[0].id }

// IDs lists the ids of all keys, primary first.
func (k *Keyring) IDs() []string {
	ids := make([]string, len(k.keys))
	for i, e := range k.keys {
		ids[i] = e.id
	}
	return ids
}

// String shows the key ids only.
func (k *Keyring) String() string { return "secret.Keyring" + fmt.Sprint(k.IDs()) }

// GoString shows the key ids only, like String.
func (k *Keyring) GoString() string { return k.String() }

// Seal encrypts plaintext with the primary key (AES-256-GCM, random 96-bit nonce). aad is authenticated
// but not stored: Open needs the same aad (bind a value to its record, e.g. "case/123/party/2/id_number",
// so that a ciphertext copied to another record does not open). The result is
// version(1) | len(id)(1) | id | nonce(12) | ciphertext+tag(16); the header is authenticated too.
func (k *Keyring) Seal(plaintext, aad []byte) ([]byte, error) {
	e := k.keys[0]
	header := make([]byte, 0, 2+len(e.id)+e.aead.NonceSize())
	header = append(header, version, byte(len(e.id)))
	header = append(header, e.id...)
	nonce := make([]byte, e.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return nil, fmt.Errorf("secret: nonce: %w", err)
	}
	out := append(header, nonce...)
	return e.aead.Seal(out, nonce, plaintext, additional(header, aad)), nil
}

func additional(header, aad []byte) []byte {
	b := make([]byte, 0, len(header)+len(aad))
	return append(append(b, header...), aad...)
}

// Open decrypts what Seal (with this or an older key of the ring) produced under the same aad. A changed
// byte gives ErrAuth, an unknown key ErrUnknownKey, a short or foreign input ErrMalformed.
func (k *Keyring) Open(ciphertext, aad []byte) ([]byte, error) {
	id, rest, header, err := splitHeader(ciphertext)
	if err != nil {
		return nil, err
	}
	e, ok := k.entry(id)
	if !ok {
		return nil, fmt.Errorf("%w: key id %q (keep retired keys in %s until their data is re-encrypted)", ErrUnknownKey, id, EnvKeys)
	}
	ns := e.aead.NonceSize()
	if len(rest) < ns+e.aead.Overhead() {
		return nil, fmt.Errorf("%w: too short", ErrMalformed)
	}
	plain, err := e.aead.Open(nil, rest[:ns], rest[ns:], additional(header, aad))
	if err != nil {
		return nil, fmt.Errorf("%w (key %q)", ErrAuth, id)
	}
	return plain, nil
}

// KeyID is the id of the key that sealed ciphertext.
func KeyID(ciphertext []byte) (string, error) {
	id, _, _, err := splitHeader(ciphertext)
	return id, err
}

func splitHeader(c []byte) (id string, rest, header []byte, err error) {
	if len(c) < 2 || c[0] != version {
		return "", nil, nil, fmt.Errorf("%w: unknown version", ErrMalformed)
	}
	n := int(c[1])
	if n == 0 || len(c) < 2+n {
		return "", nil, nil, fmt.Errorf("%w: bad key id", ErrMalformed)
	}
	return string(c[2 : 2+n]), c[2+n:], c[:2+n], nil
}

func (k *Keyring) entry(id string) (keyEntry, bool) {
	for _, e := range k.keys {
		if e.id == id {
			return e, true
		}
	}
	return keyEntry{}, false
}

// SealString is Seal for text: the result is URL-safe base64 without padding, fit for a database column.
func (k *Keyring) SealString(plaintext, aad string) (string, error) {
	b, err := k.Seal([]byte(plaintext), []byte(aad))
	if err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// OpenString opens what SealString produced under the same aad.
func (k *Keyring) OpenString(ciphertext, aad string) (string, error) {
	b, err := base64.RawURLEncoding.DecodeString(ciphertext)
	if err != nil {
		return "", fmt.Errorf("%w: not base64: %w", ErrMalformed, err)
	}
	p, err := k.Open(b, []byte(aad))
	if err != nil {
		return "", err
	}
	return string(p), nil
}

// Hash is a keyed, deterministic digest of value for lookups without decrypting, e.g. finding a person's
// open cases by ID number: hex HMAC-SHA256 of value under a key derived from the primary key with HKDF
// and separated by purpose ("id_number", "phone"), so equal values hash equally only within a purpose.
// It is stable across restarts but changes when the primary key changes: see HashAll and the package
// documentation on rotation. Normalise value (trim, upper-case the X of an ID number) before hashing.
func (k *Keyring) Hash(purpose, value string) string {
	return hashWith(k.hashKey, purpose, value)
}

// HashAll is Hash under every key of the ring, primary first: during a rotation a lookup matches rows
// hashed under the old key too (WHERE id_hash IN (...)).
func (k *Keyring) HashAll(purpose, value string) []string {
	out := make([]string, len(k.keys))
	for i, e := range k.keys {
		out[i] = hashWith(e.hash, purpose, value)
	}
	return out
}

func hashWith(key []byte, purpose, value string) string {
	// A per-purpose key: HMAC(hashKey, "purpose:" + purpose). The purpose cannot bleed into the value.
	pm := hmac.New(sha256.New, key)
	pm.Write([]byte("purpose:" + purpose))
	m := hmac.New(sha256.New, pm.Sum(nil))
	m.Write([]byte(value))
	return hex.EncodeToString(m.Sum(nil))
}
