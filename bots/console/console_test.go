package console_test

import (
	"context"
	"strings"
	"testing"

	"tracegate/bots/channel"
	"tracegate/bots/channel/channeltest"
	"tracegate/bots/console"
	"tracegate/bots/dialog"
	"tracegate/bots/dialog/smstext"
	"tracegate/core"
	"tracegate/core/postgres/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

func TestConsoleAnswersLineByLine(t *testing.T) {
	w := channeltest.New(t, pgtest.Seed{})
	var out syncBuilder
	ch := &console.Channel{Policy: smstext.Keep, Out: &out, Self: "tel:+84977000001"}
	p := w.Pipeline(t, channel.Config{
		Dialog:   dialog.Dialog{BaseURL: "http://localhost:8080", DefaultLang: core.LangVI},
		Channels: map[string]channel.Channel{ch.Name(): ch}, Routes: map[string]string{"tel": ch.Name()},
	})
	w.Run(t, p)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	c := &console.Console{Pipeline: p, Channel: ch, URN: ch.Self,
		In: strings.NewReader("HD\n\nEN\nxin chào\r\n"), Echo: true}
	if err := c.Run(ctx); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	for _, want := range []string{
		"> HD\n  Tra cứu: gửi mã tem",
		"English: EN. Ngừng nhận tin: STOP.\n  [2 SMS, UCS-2, 134 units]", // kept accented: SMS_ACCENTS=keep
		"> EN\n  Language set to English.\n  [1 SMS, GSM-7, 24 units]",
		"> xin chào\n  Sorry, we did not understand.",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
	sent := func(m *core.Message) bool { return m.Channel == "console" && m.Status == core.StatusSent }
	if n := channeltest.Count(w.Outbound(t), sent); n != 3 {
		t.Fatalf("%d replies recorded as sent", n)
	}
}
