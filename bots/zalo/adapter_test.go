package zalo_test

import (
	"strings"
	"testing"

	"tracegate/bots/zalo"
)

// Zalo is off, saying what is unset, until every variable it needs is;
// its tokens live in the gateway's store, so no database of its own is.
func TestAdapterMissing(t *testing.T) {
	env := map[string]string{"ZALO_APP_ID": appID, "ZALO_APP_SECRET": appSecret, "ZALO_OA_SECRET_KEY": oaSecretKey,
		"ZALO_REFRESH_TOKEN": "r1"}
	for unset := range env {
		s, err := zalo.Adapter.Load(func(k string) string {
			if k == unset {
				return ""
			}
			return env[k]
		})
		if err != nil {
			t.Fatal(err)
		}
		if missing := s.Missing(); !strings.HasPrefix(missing, unset) {
			t.Errorf("with %s unset, Missing says %q", unset, missing)
		}
	}
	s, _ := zalo.Adapter.Load(func(k string) string { return env[k] })
	if missing := s.Missing(); missing != "" {
		t.Errorf("with everything set, Missing says %q", missing)
	}
}
