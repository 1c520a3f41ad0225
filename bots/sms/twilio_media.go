package sms

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"tracegate/bots/channel"
)

// Photo fetches an MMS photo for the web pages, with the account's
// credentials, as Twilio's media URLs need. Only this account's media is
// fetched, never a URL of someone else's choosing.
func (t *Twilio) Photo(ctx context.Context, ref string) ([]byte, string, error) {
	if !t.HoldsPhoto(ref) {
		return nil, "", fmt.Errorf("photo %q is not this Twilio account's media", ref)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, ref, nil)
	if err != nil {
		return nil, "", err
	}
	req.SetBasicAuth(t.cfg.AccountSID, t.cfg.AuthToken)
	return channel.FetchPhoto(t.http, req)
}

// HoldsPhoto says whether ref is this account's media.
func (t *Twilio) HoldsPhoto(ref string) bool {
	return strings.HasPrefix(ref, "https://api.twilio.com/2010-04-01/Accounts/"+t.cfg.AccountSID+"/")
}
