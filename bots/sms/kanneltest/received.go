package kanneltest

import (
	"bytes"
	"net/url"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// SMS is one message as a phone shows it: concatenated parts joined, the
// text decoded to UTF-8.
type SMS struct {
	From, To, Text string
}

// inbox turns the lines bearerbox writes to fakesmsc into SMS. bearerbox
// writes "sender receiver type data", where type is
//   - text: the rest of the line, Kannel's UTF-8 for a 7-bit SMS;
//   - ucs-2: URL-encoded UTF-16BE;
//   - data: URL-encoded 8-bit bytes;
//   - udh: "UDH data DATA", both URL-encoded, for every SMS with a user
//     data header, which is how the parts of a long SMS come; the coding
//     is not on the line, so decodeGuess tells UCS-2 from text.
type inbox struct {
	msgs   []SMS
	textAt int // index of the text SMS that a continuation line extends; -1 for none
	parts  map[partKey]*partial
}

type partKey struct {
	from, to   string
	ref, total int
}

type partial struct {
	data [][]byte
	left int
}

func newInbox() *inbox {
	return &inbox{textAt: -1, parts: map[partKey]*partial{}}
}

// add takes one line that fakesmsc got.
func (b *inbox) add(line string) {
	from, to, kind, data, ok := parseMT(line)
	if !ok {
		// A 7-bit text with a line break reaches fakesmsc raw, so its
		// protocol cuts it there: what follows comes as a line of its own.
		if b.textAt >= 0 {
			b.msgs[b.textAt].Text += "\n" + line
		}
		return
	}
	b.textAt = -1
	switch kind {
	case "text":
		b.msgs = append(b.msgs, SMS{From: from, To: to, Text: data})
		b.textAt = len(b.msgs) - 1
	case "ucs-2":
		b.msgs = append(b.msgs, SMS{From: from, To: to, Text: decodeUCS2(unescape(data))})
	case "data":
		b.msgs = append(b.msgs, SMS{From: from, To: to, Text: string(unescape(data))})
	case "udh":
		udh, rest, _ := strings.Cut(data, " ")
		_, payload, _ := strings.Cut(rest, " ") // after the word "data"
		b.addPart(from, to, unescape(udh), unescape(payload))
	}
}

// addPart keeps one part of a concatenated SMS until all have come, and
// takes an SMS with any other header whole.
func (b *inbox) addPart(from, to string, udh, data []byte) {
	ref, total, seq, ok := concatInfo(udh)
	if !ok || seq < 1 || seq > total {
		b.msgs = append(b.msgs, SMS{From: from, To: to, Text: decodeGuess(data)})
		return
	}
	key := partKey{from, to, ref, total}
	p := b.parts[key]
	if p == nil {
		p = &partial{data: make([][]byte, total), left: total}
		b.parts[key] = p
	}
	if p.data[seq-1] == nil {
		p.left--
	}
	p.data[seq-1] = data
	if p.left > 0 {
		return
	}
	delete(b.parts, key)
	b.msgs = append(b.msgs, SMS{From: from, To: to, Text: decodeGuess(bytes.Join(p.data, nil))})
}

// parseMT splits "sender receiver type data".
func parseMT(line string) (from, to, kind, data string, ok bool) {
	from, rest, ok1 := strings.Cut(line, " ")
	to, rest, ok2 := strings.Cut(rest, " ")
	kind, data, ok3 := strings.Cut(rest, " ")
	switch {
	case !ok1 || !ok2 || !ok3 || from == "" || to == "":
		return "", "", "", "", false
	case kind == "text" || kind == "ucs-2" || kind == "data" || kind == "udh":
		return from, to, kind, data, true
	}
	return "", "", "", "", false
}

// concatInfo reads the concatenation element of a user data header: the
// 8-bit reference one (IEI 0) or the 16-bit one (IEI 8).
func concatInfo(udh []byte) (ref, total, seq int, ok bool) {
	if len(udh) < 1 {
		return 0, 0, 0, false
	}
	end := min(int(udh[0])+1, len(udh))
	for i := 1; i+1 < end; {
		iei, n := udh[i], int(udh[i+1])
		ie := udh[i+2 : min(i+2+n, end)]
		switch {
		case iei == 0 && len(ie) == 3:
			return int(ie[0]), int(ie[1]), int(ie[2]), true
		case iei == 8 && len(ie) == 4:
			return int(ie[0])<<8 | int(ie[1]), int(ie[2]), int(ie[3]), true
		}
		i += 2 + n
	}
	return 0, 0, 0, false
}

// unescape undoes Kannel's URL encoding ('+' for a space, %XX).
func unescape(s string) []byte {
	out, err := url.QueryUnescape(s)
	if err != nil {
		return []byte(s)
	}
	return []byte(out)
}

func decodeUCS2(b []byte) string {
	u := make([]uint16, len(b)/2)
	for i := range u {
		u[i] = uint16(b[2*i])<<8 | uint16(b[2*i+1])
	}
	return string(utf16.Decode(u))
}

// decodeGuess decodes the payload of a part whose coding the line does
// not tell: 7-bit text is UTF-8 without NULs, while UCS-2 of Latin-script
// text (Vietnamese included) has NULs or bytes that are not UTF-8.
func decodeGuess(b []byte) string {
	if bytes.IndexByte(b, 0) < 0 && utf8.Valid(b) {
		return string(b)
	}
	if len(b)%2 == 0 {
		return decodeUCS2(b)
	}
	return string(b)
}
