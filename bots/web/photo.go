package web

import (
	"cmp"
	"context"
	"net/http"
	"strconv"
	"sync"
)

// PhotoSource fetches a stored photo by its reference (telegram:<file_id>).
// The page never links to the provider: a Telegram file URL carries the
// bot's token.
type PhotoSource interface {
	Photo(ctx context.Context, ref string) (body []byte, contentType string, err error)
}

// photoCache keeps the photos the pages show, so a popular jar's page does
// not fetch from Telegram on every view. Bounded: the oldest go first.
type photoCache struct {
	mu    sync.Mutex
	order []string
	data  map[string]cachedPhoto
}

type cachedPhoto struct {
	body        []byte
	contentType string
}

const cachedPhotos = 256

func (c *photoCache) get(ref string) (cachedPhoto, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	p, ok := c.data[ref]
	return p, ok
}

func (c *photoCache) put(ref string, p cachedPhoto) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.data == nil {
		c.data = map[string]cachedPhoto{}
	}
	if _, ok := c.data[ref]; ok {
		return
	}
	if len(c.order) == cachedPhotos {
		delete(c.data, c.order[0])
		c.order = c.order[1:]
	}
	c.order = append(c.order, ref)
	c.data[ref] = p
}

// photoTypes are the image types the pages show.
var photoTypes = map[string]bool{"image/jpeg": true, "image/png": true, "image/webp": true, "image/gif": true}

// photo serves the photo /photo/{id}/{n} of a diary entry (the n-th,
// from 0) through the cache; /photo/{id}, the address of an entry's only
// photo before entries kept several, is its first.
func (h *Handler) photo(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	n, nerr := strconv.Atoi(cmp.Or(r.PathValue("n"), "0"))
	if err != nil || nerr != nil || n < 0 || h.Photos == nil {
		http.NotFound(w, r)
		return
	}
	e, err := h.Diary.FindEntry(r.Context(), id)
	if err != nil || n >= len(e.Photos) {
		http.NotFound(w, r)
		return
	}
	ref := e.Photos[n]
	p, ok := h.photos.get(ref)
	if !ok {
		body, ct, err := h.Photos.Photo(r.Context(), ref)
		if err != nil {
			h.Log.Warn("photo", "entry", id, "err", err)
			http.Error(w, "photo unavailable", http.StatusBadGateway)
			return
		}
		// What the upstream says is beside the point: only what the bytes
		// are as an image is served, never a page in the site's origin.
		sniffed := http.DetectContentType(body)
		if !photoTypes[sniffed] {
			h.Log.Warn("photo is not an image", "entry", id, "upstream_type", ct, "sniffed", sniffed)
			http.Error(w, "photo unavailable", http.StatusBadGateway)
			return
		}
		p = cachedPhoto{body, sniffed}
		h.photos.put(ref, p)
	}
	w.Header().Set("Content-Type", p.contentType)
	w.Header().Set("Cache-Control", "public, max-age=86400")
	w.Write(p.body)
}
