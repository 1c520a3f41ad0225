package web

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"time"
	"unicode/utf8"

	"tracegate/bots/channel"
	"tracegate/core"
	"tracegate/locales"
)

// zaloApp is the simulator's query for its Zalo pane: /dev/phone?app=zalo.
const zaloApp = "zalo"

// The demo's Zalo users: the farmer's own account, which no member has
// yet (the farmer links it with LIENKET by SMS, then the code here), and
// a consumer's.
const (
	ZaloFarmer   = "8901234567890123456"
	ZaloConsumer = "2468013579246801357"
)

// zaloUserID is what the pane takes for a Zalo user id: Zalo's are long
// decimal numbers, and anything else would be a URN no Zalo user has.
var zaloUserID = regexp.MustCompile(`^[0-9]{1,32}$`)

// zaloURN is the URN of a Zalo user id, or false when id is not one.
func zaloURN(id string) (core.URN, bool) {
	if !zaloUserID.MatchString(id) {
		return "", false
	}
	return core.URN(zaloScheme + ":" + id), true
}

// zaloPage is the Zalo pane: who is writing and what they said and got.
type zaloPage struct {
	page
	User     string
	MaxText  int // a reply's limit, beside its length
	Choices  []zaloChoice
	Messages []zaloMessage
}

type zaloChoice struct{ ID, Label string }

// zaloMessage is one bubble. A reply shows its length in characters, the
// unit of Zalo's limit, where an SMS shows its parts.
type zaloMessage struct {
	FromOA bool
	Text   string
	Chars  int
}

func zaloChoices(lang core.Lang) []zaloChoice {
	return []zaloChoice{
		{ZaloFarmer, locales.Print(lang, "web_zalo_farmer", nil)},
		{ZaloConsumer, locales.Print(lang, "web_zalo_consumer", nil)},
	}
}

func (h *Handler) zaloPane(w http.ResponseWriter, r *http.Request) {
	if h.Zalo == nil {
		http.NotFound(w, r)
		return
	}
	pg := newPage(r)
	zp := zaloPage{page: pg, User: r.URL.Query().Get("user"), MaxText: zaloMaxText, Choices: zaloChoices(pg.Lang)}
	if zp.User == "" {
		zp.User = ZaloFarmer
	}
	urn, ok := zaloURN(zp.User)
	if !ok {
		http.Error(w, locales.Print(pg.Lang, "web_zalo_bad_user", nil), http.StatusBadRequest)
		return
	}
	msgs, err := h.Services.Messages.FindMessagesByURN(r.Context(), urn, 30)
	if err != nil {
		http.Error(w, "please try again", http.StatusInternalServerError)
		return
	}
	for i := len(msgs) - 1; i >= 0; i-- { // oldest first, like a chat
		m := msgs[i]
		zp.Messages = append(zp.Messages, zaloMessage{FromOA: m.Direction == "out", Text: m.Text, Chars: utf8.RuneCountInString(m.Text)})
	}
	h.renderAny(w, http.StatusOK, "zalo.html", zp)
}

// zaloSend takes what the Zalo user typed through the pipeline as a
// message on the simulator's channel, waits briefly for the answer, and
// shows the pane again.
func (h *Handler) zaloSend(w http.ResponseWriter, r *http.Request) {
	if h.Zalo == nil {
		http.NotFound(w, r)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	lang := langOf(r) // the form's action keeps the pane's ?lang
	user, text := r.FormValue("user"), r.FormValue("text")
	urn, ok := zaloURN(user)
	if !ok {
		http.Error(w, locales.Print(lang, "web_zalo_bad_user", nil), http.StatusBadRequest)
		return
	}
	back := zaloPaneURL(user, lang)
	if text == "" {
		http.Redirect(w, r, back, http.StatusSeeOther)
		return
	}
	in := channel.Inbound{URN: urn, Text: text, ProviderID: newID(), ReceivedAt: time.Now()}
	if err := h.Pipeline.Receive(r.Context(), h.Zalo, in); err != nil {
		h.Log.Error("zalo pane", "err", err)
		http.Error(w, "please try again", http.StatusInternalServerError)
		return
	}
	h.awaitAnswer(r.Context())
	http.Redirect(w, r, back+"&n="+strconv.FormatInt(time.Now().UnixNano(), 36), http.StatusSeeOther)
}

// zaloPaneURL is the pane of a user, in lang.
func zaloPaneURL(user string, lang core.Lang) string {
	q := url.Values{"app": {zaloApp}, "user": {user}}
	if lang == core.LangEN {
		q.Set("lang", string(lang))
	}
	return "/dev/phone?" + q.Encode()
}
