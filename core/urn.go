package core

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode"

	"github.com/nyaruka/phonenumbers"
)

// URN is how a person is reached, RapidPro style: tel:+84912345678 or
// telegram:123456789.
type URN string

// Scheme is the part before the colon.
func (u URN) Scheme() string {
	scheme, _, _ := strings.Cut(string(u), ":")
	return scheme
}

// Path is the part after the colon: an E.164 number or a Telegram user id.
func (u URN) Path() string {
	_, path, _ := strings.Cut(string(u), ":")
	return path
}

// Answerable says whether anyone can be written to at u. A web form's
// sender is a keyed pseudonym of an address and a code, never the
// address: an answer to its feedback has nowhere to go.
func (u URN) Answerable() bool { return u.Scheme() != "web" }

// App names the chat app of a chat account's URN for people (Zalo,
// Telegram); "" for a phone or a form.
func (u URN) App() string { return chatApps[u.Scheme()] }

// Linkable says whether u is a chat account a member may link with a
// code from their phone: not a phone (the phone is the proof) nor a form.
func (u URN) Linkable() bool { return u.App() != "" }

// ParseURN reads a URN as an operator types it: tel:+84..., telegram:<id>,
// another channel's scheme:path, or a phone number in any form as its tel
// URN.
func ParseURN(s string) (URN, error) {
	urn := URN(strings.TrimSpace(s))
	switch {
	case urn == "":
		return "", Errorf(EINVALID, "urn is required")
	case urn.Scheme() == "telegram":
		id, err := strconv.ParseInt(urn.Path(), 10, 64)
		if err != nil {
			return "", Errorf(EINVALID, "%q is not a Telegram URN", s)
		}
		return TelegramURN(id)
	case urn.Scheme() == "tel":
		return TelURN(urn.Path())
	case urn.Scheme() == "zalo":
		return ZaloURN(urn.Path())
	case strings.Contains(string(urn), ":") && channelPattern.MatchString(urn.Scheme()) && urn.Path() != "" &&
		!strings.ContainsFunc(urn.Path(), unicode.IsSpace):
		return urn, nil // a channel core has no rules for
	}
	return TelURN(string(urn))
}

// NormalizePhone returns a phone number in E.164 form. `0912 345 678`,
// `84912345678` and `+84912345678` are one number; the default region is
// Vietnam.
func NormalizePhone(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", Errorf(EINVALID, "phone number is empty")
	}
	// A bare 84... is an international number typed without its plus.
	digits := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
	if !strings.HasPrefix(s, "+") && strings.HasPrefix(digits, "84") && len(digits) >= 11 {
		s = "+" + digits
	}
	num, err := phonenumbers.Parse(s, "VN")
	if err != nil || !phonenumbers.IsValidNumber(num) {
		return "", Errorf(EINVALID, "%q is not a valid phone number", s)
	}
	return phonenumbers.Format(num, phonenumbers.E164), nil
}

// TelURN returns the tel URN of a phone number in any accepted form.
func TelURN(phone string) (URN, error) {
	e164, err := NormalizePhone(phone)
	if err != nil {
		return "", err
	}
	return URN("tel:" + e164), nil
}

// TelegramURN returns the URN of a Telegram user id.
func TelegramURN(userID int64) (URN, error) {
	if userID <= 0 {
		return "", Errorf(EINVALID, "telegram user id %d is not valid", userID)
	}
	return URN("telegram:" + strconv.FormatInt(userID, 10)), nil
}

var zaloID = regexp.MustCompile(`^[0-9]{1,32}$`)

// ZaloURN returns the URN of a Zalo user id (as the OA sees the user:
// digits).
func ZaloURN(userID string) (URN, error) {
	if !zaloID.MatchString(userID) {
		return "", Errorf(EINVALID, "%q is not a Zalo user id", userID)
	}
	return URN("zalo:" + userID), nil
}

// chatApps name the chat apps' URNs for people.
var chatApps = map[string]string{"telegram": "Telegram", "zalo": "Zalo"}

// Masked is how a consumer's URN may be shown to a producer: enough to
// tell two senders apart, never enough to call them (`+84 91x xxx 111`).
func (u URN) Masked() string {
	path := u.Path()
	switch u.Scheme() {
	case "tel":
		num, err := phonenumbers.Parse(path, "VN")
		if err != nil {
			break
		}
		national := phonenumbers.GetNationalSignificantNumber(num)
		if len(national) < 6 {
			break
		}
		return fmt.Sprintf("+%d %sx xxx %s", num.GetCountryCode(), national[:2], national[len(national)-3:])
	case "telegram", "zalo":
		if len(path) > 3 {
			return chatApps[u.Scheme()] + " …" + path[len(path)-3:]
		}
	}
	return u.Scheme() + ":…"
}
