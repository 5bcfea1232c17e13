// Package secret protects personal data — ID numbers, phone numbers — at rest and in Temporal payloads
// (个人信息保护法 第五十一条第(三)项: 采取相应的加密、去标识化等安全技术措施).
//
// A Keyring holds AES-256-GCM keys with ids. Seal encrypts with the newest (primary) key and writes its id
// in the ciphertext's header; Open reads the id and uses that key, so every key in the ring opens. Hash
// gives a keyed digest for lookups (find a person's cases by ID number without decrypting), and
// PayloadCodec / DataConverter encrypt every Temporal payload so that the Temporal store and UI never
// hold plaintext.
//
// # Where the keys come from
//
// LoadKeyring reads FENGQIAO_KEYS ("id:base64key,id:base64key", newest first), else FENGQIAO_KEY (one
// base64 32-byte key), else the file <data>/keys/secret.key, which it creates on first use (mode 0600).
// A new key for FENGQIAO_KEYS:
//
//	openssl rand -base64 32          # then write it as  2027a:<that base64>
//
// Back the key up apart from the database: without it, the encrypted fields and the Temporal histories
// cannot be read, and with it anyone holding a database dump can.
//
// # Rotating a key
//
//  1. Generate a new key and put it in front: FENGQIAO_KEYS=2027a:NEWKEY,2026a:OLDKEY. An old key keeps
//     the id it had, because its ciphertexts carry that id. The key of FENGQIAO_KEY or of
//     <data>/keys/secret.key has a derived id (DeriveID, 8 hex digits, shown by Keyring.IDs): list it
//     without an id (FENGQIAO_KEYS=2027a:NEWKEY,OLDKEY) and the same id is derived again.
//  2. Restart every server and worker with the same FENGQIAO_KEYS (all must be able to open what any
//     of them seals). New data is sealed with the new key; old data still opens with the old key.
//  3. Re-encrypt the data at rest (open and seal again each encrypted column) and recompute the lookup
//     hashes (Hash changes with the primary key; until the job has run, look up with HashAll).
//     Temporal payloads of running cases stay sealed with the old key until their histories end and are
//     deleted by the namespace's retention.
//  4. Only then drop the old key from FENGQIAO_KEYS. A ciphertext whose key is gone fails with
//     ErrUnknownKey; a key that leaked must be rotated out at once, re-encrypting first.
//
// Nonces are random (96 bits): keep well under 2^32 seals per key, i.e. rotate at least every few years
// at Ningbo's volume.
package secret
