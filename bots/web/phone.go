package web

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"tracegate/bots/channel"
	"tracegate/bots/dialog"
	"tracegate/bots/dialog/smstext"
	"tracegate/core"
)

// Phone is the dev simulator's channel: a phone in the browser. Replies
// are stored as the SMS they would be, with the menu kept for the
// Telegram-style buttons; "sending" one just marks it delivered, since the
// page reads them from the message history.
type Phone struct {
	Policy smstext.Policy
}

var _ channel.Channel = Phone{}

// phoneMeta is what the page shows beside a reply.
type phoneMeta struct {
	Encoding string   `json:"encoding"`
	Units    int      `json:"units"`
	Buttons  []string `json:"buttons,omitempty"` // the menu's labels, numbered from 1; "0" cancels
}

func (Phone) Name() string    { return phoneName }
func (Phone) Pace() core.Pace { return core.Pace{} }
func (Phone) Send(context.Context, core.URN, channel.Outgoing) (string, error) {
	return newID(), nil
}

func (p Phone) Render(r dialog.Reply) channel.Outgoing {
	f := dialog.RenderSMS(r, p.Policy, dialog.SMSBudget)
	meta := phoneMeta{Encoding: f.Segments.Encoding.String(), Units: f.Segments.Units}
	for _, c := range r.Menu {
		meta.Buttons = append(meta.Buttons, c.Label)
	}
	raw, _ := json.Marshal(meta)
	return channel.Outgoing{Text: f.Text, Segments: f.Segments.Parts, Meta: raw}
}

// phonePage is the simulator: who is writing and what they said and got.
type phonePage struct {
	page
	Phone    string
	Choices  []phoneChoice
	Messages []phoneMessage
	Buttons  []string // the last reply's menu
}

type phoneChoice struct{ Number, Label string }

type phoneMessage struct {
	Out      bool
	Text     string
	Segments int
	Meta     phoneMeta
}

// PhoneChoices are the numbers the simulator offers, e.g. the demo farmer.
var PhoneChoices = []phoneChoice{{"0912345678", "Nông dân / farmer"}, {"0977000001", "Người mua / consumer"}}

func (h *Handler) phone(w http.ResponseWriter, r *http.Request) {
	if r.URL.Query().Get("app") == zaloApp {
		h.zaloPane(w, r)
		return
	}
	pp := phonePage{page: newPage(r), Phone: r.URL.Query().Get("phone"), Choices: PhoneChoices}
	if pp.Phone == "" {
		pp.Phone = PhoneChoices[0].Number
	}
	urn, err := core.TelURN(pp.Phone)
	if err != nil {
		http.Error(w, core.ErrorMessage(err), http.StatusBadRequest)
		return
	}
	msgs, err := h.Services.Messages.FindMessagesByURN(r.Context(), urn, 30)
	if err != nil {
		http.Error(w, "please try again", http.StatusInternalServerError)
		return
	}
	for i := len(msgs) - 1; i >= 0; i-- { // oldest first, like a phone
		m := msgs[i]
		pm := phoneMessage{Out: m.Direction == "out", Text: m.Text, Segments: m.Segments}
		_ = json.Unmarshal(m.Meta, &pm.Meta)
		pp.Messages = append(pp.Messages, pm)
		if pm.Out {
			pp.Buttons = pm.Meta.Buttons
		}
	}
	h.renderAny(w, http.StatusOK, "phone.html", pp)
}

// phoneSend takes what the person typed (or the button they pressed)
// through the pipeline like an SMS, waits briefly for the answer, and
// shows the phone again.
func (h *Handler) phoneSend(w http.ResponseWriter, r *http.Request) {
	if r.URL.Query().Get("app") == zaloApp {
		h.zaloSend(w, r)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	phone, text := r.FormValue("phone"), r.FormValue("text")
	urn, err := core.TelURN(phone)
	if err != nil || text == "" {
		http.Redirect(w, r, "/dev/phone?phone="+url.QueryEscape(phone), http.StatusSeeOther)
		return
	}
	in := channel.Inbound{URN: urn, Text: text, ProviderID: newID(), ReceivedAt: time.Now()}
	if err := h.Pipeline.Receive(r.Context(), h.Phone, in); err != nil {
		h.Log.Error("phone", "err", err)
		http.Error(w, "please try again", http.StatusInternalServerError)
		return
	}
	h.awaitAnswer(r.Context())
	http.Redirect(w, r, "/dev/phone?phone="+url.QueryEscape(phone)+"&n="+strconv.FormatInt(time.Now().UnixNano(), 36), http.StatusSeeOther)
}

// awaitAnswer gives the answer, a job on the pipeline, a moment to be
// "sent", so that the page shown next has it.
func (h *Handler) awaitAnswer(ctx context.Context) {
	for i := 0; i < 200; i++ {
		if done, err := h.Pipeline.Drained(ctx); err != nil || done {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
}
