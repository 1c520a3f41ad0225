package postgres

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"
)

// Console passwords are hashed with argon2id at OWASP's recommendation
// (19 MiB, 2 passes, 1 lane): memory-hard, so a stolen table costs a
// guesser memory per guess, which GPUs and ASICs have little of, where
// bcrypt costs only time. About 40 ms a hash on one core, once a login.
const (
	argonMemory  = 19 * 1024 // KiB
	argonTime    = 2
	argonThreads = 1
	argonSaltLen = 16
	argonKeyLen  = 32
	// argonMaxMemory bounds what a stored hash may ask for, so a damaged
	// row cannot make a login allocate without limit.
	argonMaxMemory = 1 << 20 // 1 GiB in KiB
)

var phc = base64.RawStdEncoding

// hashPassword returns the PHC string of password with a fresh salt; the
// parameters are written into it, so raising them later leaves old
// hashes readable.
func hashPassword(password string) (string, error) {
	salt := make([]byte, argonSaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("hash password: %w", err)
	}
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	return encodeHash(argonParams{argonMemory, argonTime, argonThreads}, salt, key), nil
}

type argonParams struct {
	memory, time uint32
	threads      uint8
}

func encodeHash(p argonParams, salt, key []byte) string {
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, p.memory, p.time, p.threads, phc.EncodeToString(salt), phc.EncodeToString(key))
}

// dummyHash is checked when a login does not exist, so that a wrong login
// takes as long as a wrong password and timing tells no one which logins
// exist. Its salt and key are zero: nothing hashes to it.
var dummyHash = encodeHash(argonParams{argonMemory, argonTime, argonThreads},
	make([]byte, argonSaltLen), make([]byte, argonKeyLen))

// checkPassword reports whether password is the one encoded was made
// from, comparing in constant time, and whether encoded was made with
// other parameters than today's and should be hashed again.
func checkPassword(encoded, password string) (ok, stale bool, err error) {
	p, salt, key, err := decodeHash(encoded)
	if err != nil {
		return false, false, err
	}
	got := argon2.IDKey([]byte(password), salt, p.time, p.memory, p.threads, uint32(len(key)))
	ok = subtle.ConstantTimeCompare(got, key) == 1
	stale = p != (argonParams{argonMemory, argonTime, argonThreads}) || len(salt) != argonSaltLen || len(key) != argonKeyLen
	return ok, stale, nil
}

var errBadHash = errors.New("not an argon2id PHC string")

func decodeHash(encoded string) (p argonParams, salt, key []byte, err error) {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return p, nil, nil, errBadHash
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return p, nil, nil, fmt.Errorf("argon2id version %q: %w", parts[2], errBadHash)
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.memory, &p.time, &p.threads); err != nil ||
		p.memory == 0 || p.memory > argonMaxMemory || p.time == 0 || p.threads == 0 {
		return p, nil, nil, fmt.Errorf("argon2id parameters %q: %w", parts[3], errBadHash)
	}
	if salt, err = phc.DecodeString(parts[4]); err != nil || len(salt) < 8 {
		return p, nil, nil, fmt.Errorf("argon2id salt: %w", errBadHash)
	}
	if key, err = phc.DecodeString(parts[5]); err != nil || len(key) < 16 {
		return p, nil, nil, fmt.Errorf("argon2id key: %w", errBadHash)
	}
	return p, salt, key, nil
}
