package admin

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"

	"tracegate/core"
)

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"error": msg})
}

// statusOf maps a domain error to the HTTP status an API client expects.
var statusOf = map[core.ErrorCode]int{
	core.EINVALID:   http.StatusBadRequest,
	core.ENOTFOUND:  http.StatusNotFound,
	core.ECONFLICT:  http.StatusConflict,
	core.EFORBIDDEN: http.StatusForbidden,
}

// respond answers a service call: v with status, or the call's error.
func (h *Handler) respond(w http.ResponseWriter, r *http.Request, status int, v any, err error) {
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, status, v)
}

// fail answers err: a domain error with its message, anything else as a
// 500 that says nothing internal, logged once here.
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	if status, ok := statusOf[core.ErrorCodeOf(err)]; ok {
		writeError(w, status, core.ErrorMessage(err))
		return
	}
	h.logger().Error("admin api", slog.String("method", r.Method), slog.String("path", r.URL.Path),
		slog.Any("err", err))
	writeError(w, http.StatusInternalServerError, "internal error")
}

func (h *Handler) logger() *slog.Logger {
	if h.Log == nil {
		return slog.Default()
	}
	return h.Log
}

// decode reads a JSON body strictly: unknown fields are a client's typo, so
// they are refused rather than silently dropped.
func decode(r *http.Request, v any) error {
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return core.Errorf(core.EINVALID, "body is larger than %d bytes", tooBig.Limit)
		}
		return core.Errorf(core.EINVALID, "body is not the expected JSON: %s", describeJSONError(err))
	}
	// Anything after the value, even a stray } or ] that More would not
	// see, means the client did not send what it meant.
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return core.Errorf(core.EINVALID, "body holds more than one JSON value")
	}
	return nil
}

func describeJSONError(err error) string {
	var typeErr *json.UnmarshalTypeError
	switch {
	case errors.Is(err, io.EOF):
		return "it is empty"
	case errors.As(err, &typeErr):
		return fmt.Sprintf("%s must be a %s", typeErr.Field, typeErr.Type)
	}
	return err.Error()
}
