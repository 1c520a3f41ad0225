package dialog_test

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"tracegate/bots/dialog"
	"tracegate/bots/dialog/smstext"
	"tracegate/core"
	"tracegate/locales"
)

var update = flag.Bool("update", false, "rewrite the golden transcripts from what the dialog answers")

// A transcript is a conversation: `@as <phone>` picks who writes, `> `
// lines are what they send, `< ` lines what they get back by SMS (each
// reply closed by its size), `! ` lines notices to others. `#` lines are
// comments. Codes and today's date stand as {{names}}, so the files do
// not change from run to run.
func TestTranscripts(t *testing.T) {
	files, err := filepath.Glob("testdata/*.txt")
	if err != nil || len(files) == 0 {
		t.Fatalf("no transcripts: %v", err)
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			raw, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			got := play(t, newWorld(t), string(raw))
			if *update {
				if err := os.WriteFile(file, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			if got != string(raw) {
				t.Errorf("transcript differs (go test ./bots/dialog -run Transcripts -update, then read the diff):\n%s",
					diff(string(raw), got))
			}
		})
	}
}

// play runs the script's inputs and writes the transcript they produce.
func play(t *testing.T, w *world, script string) string {
	t.Helper()
	var out strings.Builder
	from := core.URN(consumerTel)
	sc := bufio.NewScanner(strings.NewReader(script))
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "#"), strings.HasPrefix(line, "@"), line == "":
			out.WriteString(line + "\n")
			if who, ok := strings.CutPrefix(line, "@as "); ok {
				urn, err := core.ParseURN(who)
				if err != nil {
					t.Fatalf("@as %s: %v", who, err)
				}
				from = urn
			}
		case strings.HasPrefix(line, "> "):
			out.WriteString(line + "\n")
			text := w.expand(strings.TrimPrefix(line, "> "))
			res, err := w.dialog.Handle(context.Background(), dialog.Message{Channel: channelOf(from), URN: from, Text: text, Ref: "SM" + fmt.Sprint(out.Len())})
			if err != nil {
				t.Fatalf("%s: %v", line, err)
			}
			w.writeResult(&out, from, res)
		}
	}
	return out.String()
}

func (w *world) writeResult(out *strings.Builder, from core.URN, res *dialog.Result) {
	for _, r := range res.Replies {
		w.writeReply(out, "< ", from, r)
	}
	for _, n := range res.Notices {
		out.WriteString("! to " + string(n.To) + "\n")
		w.writeReply(out, "! ", n.To, n.Reply)
	}
}

// channelOf is the channel a transcript's URN writes by: its chat app,
// else SMS.
func channelOf(urn core.URN) string {
	if urn.Linkable() {
		return urn.Scheme()
	}
	return "sms"
}

// writeReply writes a reply as the person's channel shows it: a chat
// app's plain lines, or an SMS.
func (w *world) writeReply(out *strings.Builder, prefix string, to core.URN, r dialog.Reply) {
	if !to.Linkable() {
		w.writeSMS(out, prefix, r)
		return
	}
	text := r.Text()
	for _, l := range strings.Split(w.abstract(text), "\n") {
		out.WriteString(prefix + l + "\n")
	}
	out.WriteString(fmt.Sprintf("%s(%s, %d characters)\n", prefix, to.App(), utf8.RuneCountInString(text)))
}

// writeSMS writes a reply as the phone shows it and its real size.
func (w *world) writeSMS(out *strings.Builder, prefix string, r dialog.Reply) {
	fitted := dialog.RenderSMS(r, smstext.Auto, dialog.SMSBudget)
	for _, l := range strings.Split(w.abstract(fitted.Text), "\n") {
		out.WriteString(prefix + l + "\n")
	}
	seg := fitted.Segments
	out.WriteString(fmt.Sprintf("%s(%d SMS, %s, %d units)\n", prefix, seg.Parts, seg.Encoding, seg.Units))
}

// expand puts the world's codes into an input line.
func (w *world) expand(s string) string {
	for name, code := range w.codes {
		s = strings.ReplaceAll(s, "{{"+name+".printed}}", core.Code(code).Printed())
		s = strings.ReplaceAll(s, "{{"+name+"}}", code)
	}
	for name, pin := range w.pins {
		s = strings.ReplaceAll(s, "{{"+name+"}}", pin)
	}
	return strings.ReplaceAll(s, "{{link}}", w.link)
}

// abstract puts names back for the codes and today's date, so a
// transcript reads the same every run.
func (w *world) abstract(s string) string {
	if m := linkCode.FindStringSubmatch(s); m != nil {
		w.link = m[1] // the code LIENKET just gave, for the lines that send it
	}
	if w.link != "" {
		s = strings.ReplaceAll(s, w.link, "{{link}}")
	}
	for name, code := range w.codes {
		s = strings.ReplaceAll(s, core.Code(code).Printed(), "{{"+name+".printed}}")
		s = strings.ReplaceAll(s, code, "{{"+name+"}}")
	}
	today := locales.Date(time.Now())
	return strings.ReplaceAll(s, today, "{{today}}")
}

// linkCode finds the code in LIENKET's answer, in any language or accents.
var linkCode = regexp.MustCompile(`(?:Mã liên kết|Ma lien ket|Linking code): ([0-9]{6})`)

// diff shows the first lines where two transcripts part.
func diff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(w) || i < len(g); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			return fmt.Sprintf("line %d\nwant: %s\n got: %s", i+1, wl, gl)
		}
	}
	return ""
}
