package zalo_test

import (
	"context"
	"testing"
)

// The pages fetch a Zalo photo by its reference, and only an image: the
// bytes decide, not what the CDN calls them.
func TestPhoto(t *testing.T) {
	w := newWorld(t)
	z := w.channel()
	ref := "zalo:" + w.zalo.openapi.URL + "/cdn/honey.jpg"
	if !z.HoldsPhoto(ref) || z.HoldsPhoto("telegram:AgAD-large") {
		t.Fatal("HoldsPhoto claims the wrong photos")
	}
	body, ct, err := z.Photo(context.Background(), ref)
	if err != nil || ct != "image/jpeg" || len(body) == 0 {
		t.Fatalf("photo: %d bytes, %q, %v", len(body), ct, err)
	}
	for _, bad := range []string{"zalo:" + w.zalo.openapi.URL + "/cdn/page.jpg", "zalo:file:///etc/passwd", "zalo:" + w.zalo.openapi.URL + "/cdn/gone.jpg"} {
		if _, _, err := z.Photo(context.Background(), bad); err == nil {
			t.Errorf("%s fetched", bad)
		}
	}
}
