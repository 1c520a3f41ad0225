package webconsole

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"tracegate/bots/admin"
	"tracegate/bots/dialog"
	"tracegate/core"
)

// maxBatch bounds one batch issued from a form: a million stamps is
// already a truck of labels.
const maxBatch = 1_000_000

func (h *Handler) issueBatch(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "id")
	if !ok {
		h.notFound(w, r)
		return
	}
	count, err := strconv.Atoi(strings.TrimSpace(r.PostFormValue("count")))
	if err != nil || count < 1 || count > maxBatch {
		h.failed(w, r, core.Errorf(core.EINVALID, "count must be 1 to %d stamps", maxBatch))
		return
	}
	err = h.change(r.Context(), sessionOf(r).Account, func(ctx context.Context, c core.Console, _ *dialog.Dialog) ([]dialog.Notice, error) {
		_, err := c.IssueBatch(ctx, id, count, r.PostFormValue("pin") != "")
		return nil, err
	})
	if err != nil {
		h.failed(w, r, err)
		return
	}
	done(w, r, facilityURL(id), "console_batch_issued")
}

// batch is a batch the account sees, from the path.
func (h *Handler) batch(w http.ResponseWriter, r *http.Request) (*core.StampBatch, bool) {
	id, ok := pathID(r, "id")
	if !ok {
		h.notFound(w, r)
		return nil, false
	}
	b, err := h.read(sessionOf(r).Account).Batch(r.Context(), id)
	if err != nil {
		h.failed(w, r, err)
		return nil, false
	}
	return b, true
}

// batchCSV is the printer's file: serial, code and the URL its QR holds.
func (h *Handler) batchCSV(w http.ResponseWriter, r *http.Request) {
	b, ok := h.batch(w, r)
	if !ok {
		return
	}
	if err := admin.WriteStampsCSV(r.Context(), w, h.Services.Stamps, b, h.BaseURL); err != nil {
		h.Log.Error("console batch csv", "batch", b.ID, "err", err) // the file is cut short: the printer sees it
	}
}
