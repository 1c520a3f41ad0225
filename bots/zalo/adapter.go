package zalo

import (
	"context"
	"fmt"
	"strings"
	"time"

	"tracegate/bots/channel"
	"tracegate/core/postgres"
)

// name is stored on Zalo's messages and is its URNs' scheme.
const name = "zalo"

// Adapter registers Zalo with cmd: ZALO_*. The token pair lives in
// Postgres, so the channel also needs DATABASE_URL: channel.Shared
// carries no database, and Zalo opens a small pool of its own on it.
var Adapter = channel.Adapter{Name: name, Load: func(getenv func(string) string) (channel.Settings, error) {
	return Config{
		AppID: getenv("ZALO_APP_ID"), AppSecret: getenv("ZALO_APP_SECRET"), OASecretKey: getenv("ZALO_OA_SECRET_KEY"),
		RefreshToken: getenv("ZALO_REFRESH_TOKEN"),
		OpenAPIBase:  strings.TrimRight(getenv("ZALO_OPENAPI_BASE"), "/"),
		OAuthBase:    strings.TrimRight(getenv("ZALO_OAUTH_BASE"), "/"),
		DatabaseURL:  getenv("DATABASE_URL"),
	}, nil
}}

// Missing names the first variable unset that the channel needs. The
// refresh token only seeds an empty store, but without it a fresh
// database could never send, so it is required like the others.
func (c Config) Missing() string {
	for _, v := range []struct{ name, value string }{
		{"ZALO_APP_ID", c.AppID}, {"ZALO_APP_SECRET", c.AppSecret}, {"ZALO_OA_SECRET_KEY", c.OASecretKey},
		{"ZALO_REFRESH_TOKEN", c.RefreshToken}, {"DATABASE_URL (Zalo keeps its tokens there)", c.DatabaseURL},
	} {
		if v.value == "" {
			return v.name + " is unset"
		}
	}
	return ""
}

// Open connects to the token store; Zalo itself is first called at the
// first send.
func (c Config) Open(channel.Shared) (channel.Channel, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	db, err := postgres.Open(ctx, c.DatabaseURL)
	if err != nil {
		return nil, fmt.Errorf("zalo token store: %w", err)
	}
	return New(c, postgres.NewZaloTokens(db)), nil
}

// Prefix holds /zalo/webhook.
func (z *Zalo) Prefix() string { return "/zalo" }

// Reach is every Zalo user who follows or wrote to the OA; Zalo refuses
// those whose interaction window has closed, and Send says so.
func (z *Zalo) Reach() channel.Reach { return channel.Reach{Scheme: name} }

var (
	_ channel.Webhooks   = (*Zalo)(nil)
	_ channel.Reacher    = (*Zalo)(nil)
	_ channel.PhotoStore = (*Zalo)(nil)
	_ channel.Capable    = (*Zalo)(nil)
)
