package sms

import (
	"log/slog"
	"net/http"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/ianaindex"
	"golang.org/x/text/encoding/unicode"

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

// kannelText decodes the text as Kannel passes it: UTF-16BE for UCS-2
// (coding 2, or a charset that says so however it is spelled), else in
// the charset the SMSC used, by its IANA name (ISO-8859-1, WINDOWS-1252,
// ...) or a common alias (cp1252); with no charset, UTF-8 when it is,
// else Latin-1, Kannel's own. What cannot be decoded is left to the
// pipeline to make storable.
func kannelText(raw, coding, charset string) string {
	enc := kannelEncoding(coding, charset, raw)
	if enc == nil {
		return raw
	}
	s, err := enc.NewDecoder().String(raw)
	if err != nil {
		return raw
	}
	return s
}

var utf16BE = unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM)

// kannelEncoding is the encoding of raw; nil for UTF-8.
func kannelEncoding(coding, charset, raw string) encoding.Encoding {
	spelled := strings.ToUpper(strings.NewReplacer("-", "", "_", "", " ", "").Replace(charset))
	switch {
	case spelled == "UTF8":
		return nil // smsbox's mo-recode made it UTF-8, whatever the coding
	case coding == "2" || strings.HasPrefix(spelled, "UTF16") || strings.HasPrefix(spelled, "UCS2"):
		return utf16BE
	case spelled == "":
		if utf8.ValidString(raw) {
			return nil
		}
		return charmap.ISO8859_1
	}
	if enc, err := ianaindex.IANA.Encoding(charset); err == nil && enc != nil {
		return enc
	}
	if enc, err := htmlindex.Get(charset); err == nil { // the web's aliases: cp1252, ...
		return enc
	}
	return charmap.ISO8859_1
}
