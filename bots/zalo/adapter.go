package zalo

import (
	"fmt"
	"strings"

	"tracegate/bots/channel"
)

// name is stored on Zalo's messages and is its URNs' scheme.
const name = "zalo"

// Adapter registers Zalo with cmd: ZALO_*. The token pair lives in the
// gateway's token store, shared by every process.
var Adapter = channel.Adapter{Name: name, Load: func(getenv func(string) string) (channel.Settings, error) {
	return Config{
		AppID: getenv("ZALO_APP_ID"), AppSecret: getenv("ZALO_APP_SECRET"), OASecretKey: getenv("ZALO_OA_SECRET_KEY"),
		RefreshToken: getenv("ZALO_REFRESH_TOKEN"),
		OpenAPIBase:  strings.TrimRight(getenv("ZALO_OPENAPI_BASE"), "/"),
		OAuthBase:    strings.TrimRight(getenv("ZALO_OAUTH_BASE"), "/"),
	}, nil
}}

// Missing names the first variable unset that the channel needs. The
// refresh token only seeds an empty store, but without it a fresh
// database could never send, so it is required like the others.
func (c Config) Missing() string {
	for _, v := range []struct{ name, value string }{
		{"ZALO_APP_ID", c.AppID}, {"ZALO_APP_SECRET", c.AppSecret}, {"ZALO_OA_SECRET_KEY", c.OASecretKey},
		{"ZALO_REFRESH_TOKEN", c.RefreshToken},
	} {
		if v.value == "" {
			return v.name + " is unset"
		}
	}
	return ""
}

// Open takes the gateway's token store; Zalo itself is first called at
// the first send.
func (c Config) Open(s channel.Shared) (channel.Channel, error) {
	if s.Tokens == nil {
		return nil, fmt.Errorf("zalo needs the gateway's token store")
	}
	return New(c, s.Tokens(name)), nil
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
