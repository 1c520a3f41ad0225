package webconsole

import (
	"context"
	"net/http"
	"strings"

	"tracegate/bots/dialog"
	"tracegate/core"
)

// memberFromForm reads a member: a phone number, and optionally a
// Telegram or Zalo account as tracegate names them (telegram:<id>,
// zalo:<id>), one a line.
func memberFromForm(r *http.Request, facilityID int64) (*core.Member, error) {
	m := &core.Member{FacilityID: facilityID, Name: r.PostFormValue("name"), Lang: core.Lang(r.PostFormValue("lang"))}
	for _, field := range append([]string{r.PostFormValue("phone")}, strings.Split(r.PostFormValue("accounts"), "\n")...) {
		if field = strings.TrimSpace(field); field == "" {
			continue
		}
		urn, err := core.ParseURN(field)
		if err != nil {
			return nil, err
		}
		m.URNs = append(m.URNs, urn)
	}
	return m, nil
}

func (h *Handler) addMember(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "id")
	if !ok {
		h.notFound(w, r)
		return
	}
	m, err := memberFromForm(r, id)
	if err == nil {
		err = h.change(r.Context(), sessionOf(r).Account, func(ctx context.Context, c core.Console, _ *dialog.Dialog) ([]dialog.Notice, error) {
			return nil, c.AddMember(ctx, m)
		})
	}
	if err != nil {
		h.failed(w, r, err)
		return
	}
	done(w, r, facilityURL(id), "console_member_added")
}

// removeMember takes a member off; the facility in the path must be the
// member's, so a guessed member id of another facility is 404 too.
func (h *Handler) removeMember(w http.ResponseWriter, r *http.Request) {
	id, ok1 := pathID(r, "id")
	member, ok2 := pathID(r, "member")
	if !ok1 || !ok2 {
		h.notFound(w, r)
		return
	}
	err := h.change(r.Context(), sessionOf(r).Account, func(ctx context.Context, c core.Console, _ *dialog.Dialog) ([]dialog.Notice, error) {
		m, err := c.S.Members.FindMemberByID(ctx, member)
		if err != nil {
			return nil, err
		}
		if m.FacilityID != id {
			return nil, core.Errorf(core.ENOTFOUND, "member %d is not of facility %d", member, id)
		}
		return nil, c.RemoveMember(ctx, member)
	})
	if err != nil {
		h.failed(w, r, err)
		return
	}
	done(w, r, facilityURL(id), "console_member_removed")
}
