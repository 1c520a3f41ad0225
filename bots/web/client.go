package web

import (
	"net/http"

	"tracegate/bots/clientaddr"
)

// client names the visitor, as every limit of the pages counts them.
func (h *Handler) client(r *http.Request) string {
	return clientaddr.Resolver{Trusted: h.TrustedProxies}.Client(r)
}
