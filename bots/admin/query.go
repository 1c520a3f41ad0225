package admin

import (
	"net/http"
	"strconv"

	"tracegate/core"
)

// Bounds of the lists the API answers: enough for a screen by default, and
// never so many that one call holds the database for long.
const (
	defaultLimit = 100
	maxLimit     = 1000
)

// queryLimit reads ?limit=, from 1 to maxLimit, defaultLimit when absent.
func queryLimit(r *http.Request) (int, error) {
	s := r.URL.Query().Get("limit")
	if s == "" {
		return defaultLimit, nil
	}
	limit, err := strconv.Atoi(s)
	if err != nil || limit < 1 || limit > maxLimit {
		return 0, core.Errorf(core.EINVALID, "limit must be a number from 1 to %d", maxLimit)
	}
	return limit, nil
}

// pathID reads the {id} of the path, which must be a positive number;
// what names it in the error (lot id, batch id).
func pathID(r *http.Request, what string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id < 1 {
		return 0, core.Errorf(core.EINVALID, "%s must be a positive number", what)
	}
	return id, nil
}

// queryID reads the id in ?name=, which must be a positive number.
func queryID(r *http.Request, name string) (int64, error) {
	s := r.URL.Query().Get(name)
	if s == "" {
		return 0, core.Errorf(core.EINVALID, "%s is required", name)
	}
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id < 1 {
		return 0, core.Errorf(core.EINVALID, "%s must be a positive number, not %q", name, s)
	}
	return id, nil
}
