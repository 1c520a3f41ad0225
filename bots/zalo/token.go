package zalo

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"tracegate/core"
)

// refreshMargin is how long before its expiry an access token is
// refreshed: a send never starts with one about to lapse.
const refreshMargin = 10 * time.Minute

// accessToken is the stored access token, refreshed first when it is
// missing or about to expire.
func (z *Zalo) accessToken(ctx context.Context) (string, error) {
	cur, err := z.tokens.Current(ctx, z.cfg.RefreshToken)
	if err != nil {
		return "", err
	}
	if cur.Access != "" && time.Now().Add(refreshMargin).Before(cur.ExpiresAt) {
		return cur.Access, nil
	}
	return z.refresh(ctx, cur.Access)
}

// refresh replaces the stale access token, under the store's lock: the
// process that takes it first spends the refresh token, the others use
// the pair it stored.
func (z *Zalo) refresh(ctx context.Context, stale string) (string, error) {
	pair, err := z.tokens.Refresh(ctx, stale, z.fetchToken)
	if err != nil {
		return "", err
	}
	return pair.Access, nil
}

// tokenAnswer is the OAuth host's answer; expires_in comes as a string
// of seconds in Zalo's examples, so both forms are read.
type tokenAnswer struct {
	AccessToken  string          `json:"access_token"`
	RefreshToken string          `json:"refresh_token"`
	ExpiresIn    json.RawMessage `json:"expires_in"`
	Error        int             `json:"error"`
	Message      string          `json:"message"`
	ErrorName    string          `json:"error_name"`
}

// fetchToken spends refresh for a new pair.
func (z *Zalo) fetchToken(ctx context.Context, refresh string) (core.ProviderToken, error) {
	form := url.Values{"refresh_token": {refresh}, "app_id": {z.cfg.AppID}, "grant_type": {"refresh_token"}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, z.cfg.OAuthBase+"/v4/oa/access_token", strings.NewReader(form.Encode()))
	if err != nil {
		return core.ProviderToken{}, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("secret_key", z.cfg.AppSecret)
	var ans tokenAnswer
	if err := z.call(req, &ans); err != nil {
		return core.ProviderToken{}, fmt.Errorf("zalo token refresh: %w", err)
	}
	secs, err := strconv.Atoi(strings.Trim(string(ans.ExpiresIn), `"`))
	if ans.Error != 0 || ans.AccessToken == "" || ans.RefreshToken == "" || err != nil || secs <= 0 {
		return core.ProviderToken{}, fmt.Errorf("zalo token refresh refused: error %d %s %s", ans.Error, ans.ErrorName, ans.Message)
	}
	return core.ProviderToken{Access: ans.AccessToken, Refresh: ans.RefreshToken,
		ExpiresAt: time.Now().Add(time.Duration(secs) * time.Second)}, nil
}
