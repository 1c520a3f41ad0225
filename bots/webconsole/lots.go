package webconsole

import (
	"context"
	"net/http"
	"strings"

	"tracegate/bots/dialog"
	"tracegate/core"
)

// lotPage is a lot with its diary, what went into it and where it went.
type lotPage struct {
	page
	Facility  *core.Facility
	Lot       *core.Lot
	Entries   []*core.DiaryEntry
	Inputs    []*core.Input
	Shipments []*core.Shipment
}

func (h *Handler) lot(w http.ResponseWriter, r *http.Request) {
	s := sessionOf(r)
	id, ok := pathID(r, "id")
	if !ok {
		h.notFound(w, r)
		return
	}
	c, ctx := h.read(s.Account), r.Context()
	p := lotPage{page: newPage(r, s)}
	if !h.loadAll(w, r,
		func() (err error) { p.Facility, err = c.Facility(ctx, id); return },
		func() (err error) { p.Lot, err = c.Lot(ctx, id, r.PathValue("code")); return },
		func() (err error) { p.Entries, err = h.Services.Diary.FindEntries(ctx, p.Lot.ID); return },
		func() (err error) { p.Inputs, err = h.Services.Chain.FindInputs(ctx, p.Lot.ID); return },
		func() (err error) { p.Shipments, err = h.Services.Chain.FindShipments(ctx, p.Lot.ID); return },
	) {
		return
	}
	h.render(w, http.StatusOK, "lot.html", p)
}

// recallLot recalls a lot: closed, its stamps answer "recalled", and its
// members, the agency and its recent buyers are told, in the transaction
// of the recall.
func (h *Handler) recallLot(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "id")
	if !ok {
		h.notFound(w, r)
		return
	}
	reason := strings.TrimSpace(r.PostFormValue("reason"))
	if reason == "" {
		h.failed(w, r, core.Errorf(core.EINVALID, "a recall needs its reason, which buyers are told"))
		return
	}
	code := r.PathValue("code")
	err := h.change(r.Context(), sessionOf(r).Account, func(ctx context.Context, c core.Console, d *dialog.Dialog) ([]dialog.Notice, error) {
		lot, err := c.RecallLot(ctx, id, code, reason)
		if err != nil || d == nil {
			return nil, err
		}
		return d.RecallNotices(ctx, lot)
	})
	if err != nil {
		h.failed(w, r, err)
		return
	}
	done(w, r, facilityURL(id)+"/lots/"+code, "console_lot_recalled")
}

// answerFeedback relays an answer to the consumer through the channel
// their feedback came by, in the transaction that audits it.
func (h *Handler) answerFeedback(w http.ResponseWriter, r *http.Request) {
	id, ok1 := pathID(r, "id")
	fb, ok2 := pathID(r, "feedback")
	if !ok1 || !ok2 {
		h.notFound(w, r)
		return
	}
	text := r.PostFormValue("text")
	err := h.change(r.Context(), sessionOf(r).Account, func(ctx context.Context, c core.Console, d *dialog.Dialog) ([]dialog.Notice, error) {
		f, err := c.AnswerFeedback(ctx, id, fb, text)
		if err != nil || d == nil {
			return nil, err
		}
		n, err := d.AnswerNotice(ctx, f, strings.TrimSpace(text))
		return []dialog.Notice{n}, err
	})
	if err != nil {
		h.failed(w, r, err)
		return
	}
	done(w, r, facilityURL(id), "console_feedback_answered")
}

// closeLot closes a lot: no more entries or activations; its stamps
// still answer.
func (h *Handler) closeLot(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "id")
	if !ok {
		h.notFound(w, r)
		return
	}
	code := r.PathValue("code")
	err := h.change(r.Context(), sessionOf(r).Account, func(ctx context.Context, c core.Console, _ *dialog.Dialog) ([]dialog.Notice, error) {
		_, err := c.CloseLot(ctx, id, code)
		return nil, err
	})
	if err != nil {
		h.failed(w, r, err)
		return
	}
	done(w, r, facilityURL(id)+"/lots/"+code, "console_lot_closed_now")
}

// undoEntry takes an entry back with the reason the form gives.
func (h *Handler) undoEntry(w http.ResponseWriter, r *http.Request) {
	id, ok1 := pathID(r, "id")
	entry, ok2 := pathID(r, "entry")
	if !ok1 || !ok2 {
		h.notFound(w, r)
		return
	}
	code := r.PathValue("code")
	err := h.change(r.Context(), sessionOf(r).Account, func(ctx context.Context, c core.Console, _ *dialog.Dialog) ([]dialog.Notice, error) {
		lot, err := c.Lot(ctx, id, code)
		if err != nil {
			return nil, err
		}
		e, err := c.S.Diary.FindEntry(ctx, entry)
		if err != nil || e.LotID != lot.ID {
			return nil, core.Errorf(core.ENOTFOUND, "lot %s has no entry %d", code, entry)
		}
		_, err = c.UndoEntry(ctx, id, entry, r.PostFormValue("reason"))
		return nil, err
	})
	if err != nil {
		h.failed(w, r, err)
		return
	}
	done(w, r, facilityURL(id)+"/lots/"+code, "console_entry_undone")
}
