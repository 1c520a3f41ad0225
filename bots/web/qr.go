package web

import (
	"net/http"

	qrcode "github.com/skip2/go-qrcode"

	"tracegate/core"
)

// qr is the QR code of a stamp's page, for printing on the stamp. Only a
// well-formed code gets one; it records no lookup.
func (h *Handler) qr(w http.ResponseWriter, r *http.Request) {
	code, err := core.ParseCode(r.PathValue("code"))
	if err != nil {
		http.NotFound(w, r)
		return
	}
	png, err := qrcode.Encode(h.BaseURL+"/t/"+string(code), qrcode.Medium, 256)
	if err != nil {
		h.Log.Error("qr", "code", code, "err", err)
		http.Error(w, "please try again", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("Cache-Control", "public, max-age=86400")
	w.Write(png)
}
