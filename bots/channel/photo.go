package channel

import (
	"fmt"
	"io"
	"net/http"
	"strings"
)

// MaxPhoto bounds a photo a channel fetches for the pages: Telegram's large
// sizes and Twilio's 5 MB MMS are well under it.
const MaxPhoto = 10 << 20

// FetchPhoto gets a photo a provider keeps, for the pages: at most
// MaxPhoto bytes, and only what the bytes show to be an image, whatever
// the provider calls it.
func FetchPhoto(client *http.Client, req *http.Request) ([]byte, string, error) {
	res, err := client.Do(req)
	if err != nil {
		return nil, "", fmt.Errorf("fetch photo: %w", err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return nil, "", fmt.Errorf("fetch photo: %s", res.Status)
	}
	body, err := io.ReadAll(io.LimitReader(res.Body, MaxPhoto+1))
	if err != nil {
		return nil, "", fmt.Errorf("fetch photo: %w", err)
	}
	if len(body) > MaxPhoto {
		return nil, "", fmt.Errorf("photo is over %d bytes", MaxPhoto)
	}
	ct := http.DetectContentType(body)
	if !strings.HasPrefix(ct, "image/") {
		return nil, "", fmt.Errorf("photo is %s, not an image", ct)
	}
	return body, ct, nil
}
