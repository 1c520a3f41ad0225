package zalo

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strings"

	"tracegate/bots/channel"
	"tracegate/core"
)

// maxEvent bounds an event's body: Zalo's are well under a KiB or two.
const maxEvent = 1 << 20

// Handler serves POST /zalo/webhook. An event is answered 200 only after
// it is committed, so Zalo redelivers what we did not keep; one that can
// never be stored gets a 4xx, never a 5xx it would retry forever.
func (z *Zalo) Handler(p *channel.Pipeline, log *slog.Logger) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /zalo/webhook", func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxEvent))
		if err != nil {
			http.Error(w, "body too large", http.StatusRequestEntityTooLarge)
			return
		}
		// The signature covers fields of the body: a body without them
		// cannot be checked, so it is as unsigned as a wrong signature.
		var env envelope
		if err := json.Unmarshal(body, &env); err != nil || !z.signed(r.Header.Get("X-ZEvent-Signature"), env, body) {
			http.Error(w, "wrong signature", http.StatusUnauthorized)
			return
		}
		var ev event
		if err := json.Unmarshal(body, &ev); err != nil {
			log.Warn("zalo event unreadable", slog.Any("err", err))
			http.Error(w, "not an event", http.StatusBadRequest)
			return
		}
		if err := z.handle(r.Context(), p, ev); err != nil {
			if core.ErrorCodeOf(err) == core.EINVALID || errors.Is(err, errMalformed) {
				log.Warn("zalo event refused", slog.String("event", ev.EventName), slog.Any("err", err))
				http.Error(w, "cannot store this event", http.StatusBadRequest)
				return
			}
			log.Error("zalo event", slog.String("event", ev.EventName), slog.Any("err", err))
			http.Error(w, "try again", http.StatusInternalServerError)
			return
		}
		w.WriteHeader(http.StatusOK)
	})
	return mux
}

// signed checks X-ZEvent-Signature: "mac=" and the hex SHA-256 of app_id,
// the raw body, timestamp and the OA secret key, a plain hash (not an
// HMAC), compared in constant time. The event must be our app's.
func (z *Zalo) signed(header string, ev envelope, body []byte) bool {
	given, ok := strings.CutPrefix(strings.TrimSpace(header), "mac=")
	if !ok || ev.AppID != z.cfg.AppID || z.cfg.OASecretKey == "" {
		return false
	}
	want := Signature(ev.AppID, body, ev.Timestamp, z.cfg.OASecretKey)
	return subtle.ConstantTimeCompare([]byte(strings.ToLower(given)), []byte(want)) == 1
}

// Signature is the mac Zalo puts in X-ZEvent-Signature (after "mac=").
func Signature(appID string, body []byte, timestamp, oaSecretKey string) string {
	h := sha256.New()
	h.Write([]byte(appID))
	h.Write(body)
	h.Write([]byte(timestamp))
	h.Write([]byte(oaSecretKey))
	return hex.EncodeToString(h.Sum(nil))
}
