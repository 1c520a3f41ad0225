package sms

import (
	"log/slog"
	"net/http"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"

	"tracegate/bots/channel"
	"tracegate/core"
)

// Handler serves Kannel: GET or POST /sms/kannel from the sms-service's
// get-url, and /sms/kannel/dlr for delivery reports; both carry the
// shared secret.
func (k *Kannel) Handler(p *channel.Pipeline, log *slog.Logger) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/sms/kannel", func(w http.ResponseWriter, r *http.Request) {
		if !limitBody(w, r) || !k.authorised(w, r) {
			return
		}
		id := r.Form.Get("id")
		if id == "" {
			http.Error(w, "id is missing", http.StatusBadRequest)
			return
		}
		text := kannelText(r.Form.Get("text"), r.Form.Get("coding"), r.Form.Get("charset"))
		in, err := inbound(r.Form.Get("sender"), text, id)
		if err != nil {
			http.Error(w, core.ErrorMessage(err), http.StatusBadRequest)
			return
		}
		if receive(w, r, p, k, in, log) {
			w.WriteHeader(http.StatusOK) // empty: the replies leave through sendsms
		}
	})
	mux.HandleFunc("/sms/kannel/dlr", func(w http.ResponseWriter, r *http.Request) {
		if !limitBody(w, r) || !k.authorised(w, r) {
			return
		}
		id, status := r.Form.Get("id"), kannelDLR[r.Form.Get("type")]
		if id == "" {
			http.Error(w, "id is missing", http.StatusBadRequest)
			return
		}
		reason := ""
		if status == core.StatusFailed {
			reason = "kannel: " + r.Form.Get("answer")
		}
		if report(w, r, p, k, id, status, reason, log) {
			w.WriteHeader(http.StatusOK)
		}
	})
	return mux
}

// kannelDLR maps Kannel's dlr types: 1 delivered to the phone, 2 not
// delivered to the phone, 8 accepted by the SMSC, 16 rejected by the SMSC;
// 4 (queued at the SMSC) changes nothing.
var kannelDLR = map[string]string{
	"1": core.StatusDelivered, "2": core.StatusFailed, "8": core.StatusSent, "16": core.StatusFailed,
}

func (k *Kannel) authorised(w http.ResponseWriter, r *http.Request) bool {
	if !sameSecret(r.Form.Get("secret"), k.cfg.Secret) {
		http.Error(w, "wrong secret", http.StatusForbidden)
		return false
	}
	return true
}

// kannelText decodes the text as Kannel passes it: UCS-2 (UTF-16BE) for
// coding 2, ISO-8859-1 or UTF-8 otherwise, as its charset says.
func kannelText(raw, coding, charset string) string {
	cs := strings.ToUpper(charset)
	switch {
	case coding == "2" || cs == "UTF-16BE" || cs == "UCS-2" || cs == "UCS-2BE":
		if cs == "UTF-8" && utf8.ValidString(raw) {
			return raw
		}
		b := []byte(raw)
		units := make([]uint16, 0, len(b)/2)
		for i := 0; i+1 < len(b); i += 2 {
			units = append(units, uint16(b[i])<<8|uint16(b[i+1]))
		}
		return string(utf16.Decode(units))
	case cs == "UTF-8" || (cs == "" && utf8.ValidString(raw)):
		return raw
	}
	s, err := charmap.ISO8859_1.NewDecoder().String(raw)
	if err != nil {
		return raw
	}
	return s
}
