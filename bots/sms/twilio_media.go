package sms

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// maxPhoto bounds an MMS photo the pages show; Twilio's own limit on an
// MMS is 5 MB.
const maxPhoto = 10 << 20

// Photo fetches an MMS photo for the web pages, with the account's
// credentials, as Twilio's media URLs need. Only this account's media is
// fetched, never a URL of someone else's choosing, and only an image.
func (t *Twilio) Photo(ctx context.Context, ref string) ([]byte, string, error) {
	if !strings.HasPrefix(ref, "https://api.twilio.com/2010-04-01/Accounts/"+t.cfg.AccountSID+"/") {
		return nil, "", fmt.Errorf("photo %q is not this Twilio account's media", ref)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, ref, nil)
	if err != nil {
		return nil, "", err
	}
	req.SetBasicAuth(t.cfg.AccountSID, t.cfg.AuthToken)
	res, err := t.http.Do(req)
	if err != nil {
		return nil, "", fmt.Errorf("fetch twilio media: %w", err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return nil, "", fmt.Errorf("fetch twilio media: %s", res.Status)
	}
	body, err := io.ReadAll(io.LimitReader(res.Body, maxPhoto+1))
	if err != nil {
		return nil, "", fmt.Errorf("fetch twilio media: %w", err)
	}
	if len(body) > maxPhoto {
		return nil, "", fmt.Errorf("twilio media %s is over %d bytes", ref, maxPhoto)
	}
	ct := http.DetectContentType(body)
	if !strings.HasPrefix(ct, "image/") {
		return nil, "", fmt.Errorf("twilio media %s is %s, not an image", ref, ct)
	}
	return body, ct, nil
}
