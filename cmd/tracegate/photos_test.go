package main

import (
	"context"
	"strings"
	"testing"
)

// namedSource holds the photos whose references start with prefix.
type namedSource struct{ name, prefix string }

func (n namedSource) HoldsPhoto(ref string) bool { return strings.HasPrefix(ref, n.prefix) }

func (n namedSource) Photo(context.Context, string) ([]byte, string, error) {
	return []byte(n.name), "image/jpeg", nil
}

// A photo is fetched from the channel it came by, and from no other.
func TestPhotoSources(t *testing.T) {
	both := photoSources{namedSource{"telegram", "telegram:"}, namedSource{"twilio", "https://api.twilio.com/"}}
	for ref, want := range map[string]string{
		"telegram:AgAD-1": "telegram",
		"https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME1": "twilio",
	} {
		if body, _, err := both.Photo(context.Background(), ref); err != nil || string(body) != want {
			t.Errorf("%s came from %q, %v; want %s", ref, body, err, want)
		}
	}
	if _, _, err := both.Photo(context.Background(), "http://169.254.169.254/"); err == nil {
		t.Error("a URL of no channel was fetched")
	}
	if (photoSources{}).orNone() != nil {
		t.Error("no channel with photos, yet a photo source")
	}
}
