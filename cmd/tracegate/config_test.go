package main

import (
	"net/netip"
	"reflect"
	"strings"
	"testing"

	"tracegate/core"
	"tracegate/core/postgres"
)

func TestTrustedProxies(t *testing.T) {
	env := map[string]string{"TRUSTED_PROXIES": " 10.0.0.0/8, 127.0.0.1 ,::1, 192.168.1.7/24"}
	cfg, err := loadConfig(func(k string) string { return env[k] })
	want := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("127.0.0.1/32"),
		netip.MustParsePrefix("::1/128"), netip.MustParsePrefix("192.168.1.0/24")}
	if err != nil || !reflect.DeepEqual(cfg.TrustedProxies, want) {
		t.Fatalf("TRUSTED_PROXIES read as %v, %v", cfg.TrustedProxies, err)
	}
	for _, bad := range []string{"proxy.example.vn", "10.0.0.0/33"} {
		env["TRUSTED_PROXIES"] = bad
		if _, err := loadConfig(func(k string) string { return env[k] }); err == nil {
			t.Errorf("TRUSTED_PROXIES=%q accepted", bad)
		}
	}
}

func TestWebLookupLimit(t *testing.T) {
	for value, want := range map[string]int{"": 60, "500": 500} {
		cfg, err := loadConfig(func(k string) string { return map[string]string{"WEB_LOOKUP_LIMIT": value}[k] })
		if err != nil || cfg.WebLookupLimit != want {
			t.Errorf("WEB_LOOKUP_LIMIT=%q read as %d, %v; want %d", value, cfg.WebLookupLimit, err, want)
		}
	}
}

// RETENTION_MONTHS keeps everything unless set, and a month count only.
func TestRetentionMonths(t *testing.T) {
	for value, want := range map[string]int{"": 0, "0": 0, "24": 24} {
		cfg, err := loadConfig(func(k string) string { return map[string]string{"RETENTION_MONTHS": value}[k] })
		if err != nil || cfg.RetentionMonths != want {
			t.Errorf("RETENTION_MONTHS=%q read as %d, %v; want %d", value, cfg.RetentionMonths, err, want)
		}
	}
	for _, value := range []string{"-1", "a year"} {
		if _, err := loadConfig(func(k string) string { return map[string]string{"RETENTION_MONTHS": value}[k] }); err == nil {
			t.Errorf("RETENTION_MONTHS=%q was taken", value)
		}
	}
}

func TestSuspicionThresholds(t *testing.T) {
	env := map[string]string{"SUSPICION_LOOKUPS": "25", "SUSPICION_DAYS": "7"}
	cfg, err := loadConfig(func(k string) string { return env[k] })
	want := core.SuspicionPolicy{MaxLookups: 25, MinSenders: 3, Days: 7, MaxWrongPINs: 3}
	if err != nil || cfg.Suspicion != want {
		t.Fatalf("read as %+v, %v; want %+v", cfg.Suspicion, err, want)
	}
	for _, bad := range []string{"0", "many", "-3"} {
		if _, err := loadConfig(func(k string) string { return map[string]string{"SUSPICION_SENDERS": bad}[k] }); err == nil {
			t.Errorf("SUSPICION_SENDERS=%q accepted", bad)
		}
	}
}

func TestDatabaseReadURL(t *testing.T) {
	env := map[string]string{"DATABASE_URL": "postgres://tracegate@db1/tracegate", "DATABASE_READ_URL": "postgres://tracegate@db2/tracegate"}
	cfg, err := loadConfig(func(k string) string { return env[k] })
	if err != nil || cfg.DatabaseReadURL != env["DATABASE_READ_URL"] {
		t.Fatalf("DATABASE_READ_URL read as %q, %v", cfg.DatabaseReadURL, err)
	}
	env["DATABASE_READ_URL"] = "postgres://tracegate:s3cretpw@db2:replica/tracegate"
	_, err = loadConfig(func(k string) string { return env[k] })
	if err == nil || !strings.Contains(err.Error(), "DATABASE_READ_URL") || strings.Contains(err.Error(), "s3cretpw") {
		t.Fatalf("a bad DATABASE_READ_URL gave %v, want its name and not its password", err)
	}
	// dev's private cluster has no replica to read from.
	delete(env, "DATABASE_URL")
	env["DATABASE_READ_URL"] = "postgres://tracegate@db2/tracegate"
	if _, err := loadConfig(func(k string) string { return env[k] }); err == nil || !strings.Contains(err.Error(), "DATABASE_READ_URL") {
		t.Fatalf("DATABASE_READ_URL without DATABASE_URL gave %v", err)
	}
}

func TestDatabasePooler(t *testing.T) {
	for value, want := range map[string]postgres.Pooler{"": postgres.Direct, "none": postgres.Direct, "pgbouncer": postgres.PgBouncer} {
		cfg, err := loadConfig(func(k string) string { return map[string]string{"DATABASE_POOLER": value}[k] })
		if err != nil || cfg.Pooler != want {
			t.Errorf("DATABASE_POOLER=%q read as %q, %v; want %q", value, cfg.Pooler, err, want)
		}
	}
	for _, bad := range []string{"pgpool", "PgBouncer-session"} {
		if _, err := loadConfig(func(k string) string { return map[string]string{"DATABASE_POOLER": bad}[k] }); err == nil {
			t.Errorf("DATABASE_POOLER=%q accepted", bad)
		}
	}
}
