// Package admin is the JSON admin API under /admin/api/: what the agency and
// operators use to register facilities, products and members and to order
// stamps. Every call needs the bearer ADMIN_TOKEN.
package admin

import (
	"context"
	"crypto/subtle"
	"log/slog"
	"net/http"
	"strings"

	"tracegate/core"
)

// Handler serves the admin API on core's services.
type Handler struct {
	Token      string // the bearer token; empty refuses every call
	BaseURL    string // PUBLIC_BASE_URL, for the stamp URLs in CSVs
	Facilities core.FacilityService
	Products   core.ProductService
	Members    core.MemberService
	Lots       core.LotService
	Stamps     core.StampService
	Stats      core.StatsService
	Messages   core.MessageService
	History    core.HistoryService
	// Recall recalls a lot and tells everyone who should know, in one
	// transaction; nil refuses recalls.
	Recall func(ctx context.Context, lotID int64, reason string) (*core.Lot, error)
	Log    *slog.Logger
}

// maxBody bounds every request body: the largest honest one is a product
// with its story.
const maxBody = 1 << 20

// Routes returns the API's routes, all behind the token.
func (h *Handler) Routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /admin/api/facilities", h.createFacility)
	mux.HandleFunc("GET /admin/api/facilities", h.listFacilities)
	mux.HandleFunc("POST /admin/api/products", h.createProduct)
	mux.HandleFunc("POST /admin/api/members", h.createMember)
	mux.HandleFunc("GET /admin/api/lots", h.listLots)
	mux.HandleFunc("POST /admin/api/lots/{id}/recall", h.recallLot)
	mux.HandleFunc("POST /admin/api/stamp-batches", h.createStampBatch)
	mux.HandleFunc("GET /admin/api/stamp-batches/{id}/stamps.csv", h.stampsCSV)
	mux.HandleFunc("GET /admin/api/stats", h.stats)
	mux.HandleFunc("GET /admin/api/messages", h.messages)
	mux.HandleFunc("GET /admin/api/lots/{id}/epcis", h.lotEPCIS)
	mux.HandleFunc("GET /admin/api/epcis/events", h.epcisEvents)
	mux.HandleFunc("/admin/api/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "no such admin call")
	})
	return h.requireToken(mux)
}

func (h *Handler) requireToken(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		given, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if h.Token == "" || !ok || subtle.ConstantTimeCompare([]byte(given), []byte(h.Token)) != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="tracegate admin"`)
			writeError(w, http.StatusUnauthorized, "missing or wrong admin token")
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, maxBody)
		next.ServeHTTP(w, r)
	})
}
