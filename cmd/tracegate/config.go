package main

import (
	"errors"
	"fmt"
	"net/netip"
	"net/url"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"

	"tracegate/bots/channel"
	"tracegate/bots/dialog/smstext"
	"tracegate/core"
	"tracegate/core/postgres"
)

// config is the runtime contract of DESIGN.md, read from the environment.
// Each channel reads its own variables (see adapters).
type config struct {
	DatabaseURL   string
	HTTPAddr      string
	PublicBaseURL string
	AdminToken    string
	DefaultLang   core.Lang
	SMSAccents    smstext.Policy
	SendRates     map[string]channel.RateLimit
	// SendWorkers are the sends each channel holds at once per process
	// (SEND_WORKERS), over the channel's own.
	SendWorkers map[string]int
	FloodLimit  int
	// WebLookupLimit is how many pages a minute one client may look up.
	WebLookupLimit int
	// Suspicion is when a genuine code looks copied (SUSPICION_*).
	Suspicion core.SuspicionPolicy
	// Channels are every adapter with its configuration as read.
	Channels []configured
	// Agency are the agency officers told of recalls (AGENCY_URNS).
	Agency []core.URN
	// TrustedProxies are the proxies whose X-Forwarded-For is believed.
	TrustedProxies []netip.Prefix
	// CaptureURL is an EPCIS 2.0 repository's capture endpoint, pushed
	// every new event when set (EPCIS_CAPTURE_URL), with CaptureToken as a
	// bearer token when that is set.
	CaptureURL   string
	CaptureToken string
	// DatabaseReadURL is a streaming replica of DatabaseURL for the reads
	// that may lag: the public page's lookups and the statistics.
	DatabaseReadURL string
	// RetentionMonths is how many months before this one lookups and
	// messages keep attached (RETENTION_MONTHS); 0 keeps every month.
	RetentionMonths int
	// Pooler is what stands between the gateway and Postgres
	// (DATABASE_POOLER): behind PgBouncer in transaction mode no session
	// state may be relied on.
	Pooler postgres.Pooler
	// Dev is `tracegate dev`: its channels (the phone simulator) and pages
	// are on.
	Dev bool
}

func loadConfig(getenv func(string) string) (config, error) {
	cfg := config{
		DatabaseURL:   getenv("DATABASE_URL"),
		HTTPAddr:      getenv("HTTP_ADDR"), // serve and dev default differently
		PublicBaseURL: strings.TrimRight(getenv("PUBLIC_BASE_URL"), "/"),
		AdminToken:    getenv("ADMIN_TOKEN"),
		DefaultLang:   core.Lang(orDefault(getenv("DEFAULT_LANG"), "vi")),
		CaptureURL:    getenv("EPCIS_CAPTURE_URL"),
		CaptureToken:  getenv("EPCIS_CAPTURE_TOKEN"),
	}
	cfg.DatabaseReadURL = getenv("DATABASE_READ_URL")
	var err error
	if cfg.Pooler, err = postgres.ParsePooler(getenv("DATABASE_POOLER")); err != nil {
		return cfg, fmt.Errorf("DATABASE_POOLER: %w", err)
	}
	if cfg.SMSAccents, err = smstext.ParsePolicy(getenv("SMS_ACCENTS")); err != nil {
		return cfg, fmt.Errorf("SMS_ACCENTS: %w", err)
	}
	if cfg.SendRates, err = channel.ParseRates(getenv("SEND_RATES")); err != nil {
		return cfg, fmt.Errorf("SEND_RATES: %w", err)
	}
	if cfg.SendWorkers, err = channel.ParseWorkers(getenv("SEND_WORKERS")); err != nil {
		return cfg, fmt.Errorf("SEND_WORKERS: %w", err)
	}
	if cfg.FloodLimit, err = strconv.Atoi(orDefault(getenv("FLOOD_LIMIT"), "30")); err != nil || cfg.FloodLimit < 0 {
		return cfg, fmt.Errorf("FLOOD_LIMIT %q must be a number of messages a minute (0 for no limit)", getenv("FLOOD_LIMIT"))
	}
	if cfg.WebLookupLimit, err = strconv.Atoi(orDefault(getenv("WEB_LOOKUP_LIMIT"), "60")); err != nil || cfg.WebLookupLimit < 1 {
		return cfg, fmt.Errorf("WEB_LOOKUP_LIMIT %q must be a number of page lookups a minute, at least 1", getenv("WEB_LOOKUP_LIMIT"))
	}
	if cfg.RetentionMonths, err = strconv.Atoi(orDefault(getenv("RETENTION_MONTHS"), "0")); err != nil || cfg.RetentionMonths < 0 {
		return cfg, fmt.Errorf("RETENTION_MONTHS %q must be a number of months to keep (0 keeps everything)", getenv("RETENTION_MONTHS"))
	}
	if cfg.Suspicion, err = suspicionOf(getenv); err != nil {
		return cfg, err
	}
	if cfg.Channels, err = loadChannels(getenv); err != nil {
		return cfg, err
	}
	if cfg.PublicBaseURL != "" {
		u, err := url.Parse(cfg.PublicBaseURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return cfg, fmt.Errorf("PUBLIC_BASE_URL %q must be an http or https URL", cfg.PublicBaseURL)
		}
	}
	if cfg.CaptureURL != "" {
		u, err := url.Parse(cfg.CaptureURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return cfg, fmt.Errorf("EPCIS_CAPTURE_URL %q must be an http or https URL", cfg.CaptureURL)
		}
	}
	if err := checkReadURL(cfg); err != nil {
		return cfg, err
	}
	if cfg.Agency, err = parseURNs(getenv("AGENCY_URNS")); err != nil {
		return cfg, fmt.Errorf("AGENCY_URNS: %w", err)
	}
	if cfg.TrustedProxies, err = parseProxies(getenv("TRUSTED_PROXIES")); err != nil {
		return cfg, fmt.Errorf("TRUSTED_PROXIES: %w", err)
	}
	if !cfg.DefaultLang.Valid() {
		return cfg, fmt.Errorf("DEFAULT_LANG %q must be vi or en", cfg.DefaultLang)
	}
	return cfg, nil
}

// checkReadURL refuses a DATABASE_READ_URL that cannot be a replica of
// DATABASE_URL: one that does not parse, or one beside no DATABASE_URL at
// all (dev's private cluster has no replica). pgconn's error leaves the
// password out.
func checkReadURL(cfg config) error {
	if cfg.DatabaseReadURL == "" {
		return nil
	}
	if cfg.DatabaseURL == "" {
		return errors.New("DATABASE_READ_URL is set but DATABASE_URL is not: the read replica is a replica of DATABASE_URL")
	}
	if _, err := pgconn.ParseConfig(cfg.DatabaseReadURL); err != nil {
		return fmt.Errorf("DATABASE_READ_URL: %w", err)
	}
	return nil
}

// parseURNs reads comma-separated URNs: tel:+84..., telegram:..., or a
// bare phone number in any form.
func parseURNs(s string) ([]core.URN, error) {
	var urns []core.URN
	for _, item := range strings.Split(s, ",") {
		if strings.TrimSpace(item) == "" {
			continue
		}
		urn, err := core.ParseURN(item)
		if err != nil {
			return nil, err
		}
		urns = append(urns, urn)
	}
	return urns, nil
}

// parseProxies reads comma-separated CIDRs; a bare address is itself.
func parseProxies(s string) ([]netip.Prefix, error) {
	var proxies []netip.Prefix
	for _, item := range strings.Split(s, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		if addr, err := netip.ParseAddr(item); err == nil {
			proxies = append(proxies, netip.PrefixFrom(addr, addr.BitLen()))
			continue
		}
		p, err := netip.ParsePrefix(item)
		if err != nil {
			return nil, fmt.Errorf("%q is not an address or CIDR", item)
		}
		proxies = append(proxies, p.Masked())
	}
	return proxies, nil
}

func orDefault(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

// suspicionOf reads the suspicion thresholds, each a positive number,
// the defaults where unset.
func suspicionOf(getenv func(string) string) (core.SuspicionPolicy, error) {
	p := core.DefaultSuspicion
	for _, v := range []struct {
		name string
		to   *int
	}{
		{"SUSPICION_LOOKUPS", &p.MaxLookups}, {"SUSPICION_SENDERS", &p.MinSenders},
		{"SUSPICION_DAYS", &p.Days}, {"SUSPICION_WRONG_PINS", &p.MaxWrongPINs},
	} {
		raw := getenv(v.name)
		if raw == "" {
			continue
		}
		n, err := strconv.Atoi(raw)
		if err != nil || n < 1 {
			return p, fmt.Errorf("%s %q must be a positive number", v.name, raw)
		}
		*v.to = n
	}
	return p, nil
}
