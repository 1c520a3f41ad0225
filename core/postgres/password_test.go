package postgres

import (
	"strings"
	"testing"
)

func TestPasswordHash(t *testing.T) {
	hash, err := hashPassword("mật khẩu đủ dài")
	if err != nil {
		t.Fatal(err)
	}
	again, _ := hashPassword("mật khẩu đủ dài")
	if hash == again {
		t.Fatal("one password hashed twice gave one hash: no salt")
	}
	weak := strings.Replace(hash, "m=19456,t=2,p=1", "m=8192,t=1,p=1", 1)
	for _, tc := range []struct {
		name, encoded, password string
		ok, stale, bad          bool
	}{
		{"right", hash, "mật khẩu đủ dài", true, false, false},
		{"wrong", hash, "mat khau du dai", false, false, false},
		// Other parameters give another key: wrong, and due for renewal.
		{"weaker parameters", weak, "mật khẩu đủ dài", false, true, false},
		{"the dummy", dummyHash, "", false, false, false},
		{"bcrypt", "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy", "x", false, false, true},
		{"no version", strings.Replace(hash, "v=19$", "", 1), "x", false, false, true},
		{"huge memory", strings.Replace(hash, "m=19456", "m=99999999", 1), "x", false, false, true},
		{"bad salt", strings.Replace(hash, "p=1$", "p=1$!!", 1), "x", false, false, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ok, stale, err := checkPassword(tc.encoded, tc.password)
			if ok != tc.ok || stale != tc.stale || (err != nil) != tc.bad {
				t.Fatalf("ok %v stale %v err %v; want %v %v bad %v", ok, stale, err, tc.ok, tc.stale, tc.bad)
			}
		})
	}
}
