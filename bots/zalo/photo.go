package zalo

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"tracegate/bots/channel"
)

// HoldsPhoto says whether ref is a photo that came by Zalo: zalo:<url>.
func (z *Zalo) HoldsPhoto(ref string) bool { return strings.HasPrefix(ref, name+":http") }

// Photo fetches a photo from Zalo's CDN for the pages, within
// channel.MaxPhoto and only when the bytes are an image. The URL came in
// a signed event, and only http(s) ones are fetched.
func (z *Zalo) Photo(ctx context.Context, ref string) ([]byte, string, error) {
	raw, ok := strings.CutPrefix(ref, name+":")
	u, err := url.Parse(raw)
	if !ok || err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, "", fmt.Errorf("photo %q is not Zalo's", ref)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, "", err
	}
	return channel.FetchPhoto(photoClient, req)
}

// photoClient fetches photos: a CDN that hangs must not hold a page's
// request forever.
var photoClient = &http.Client{Timeout: 20 * time.Second}
