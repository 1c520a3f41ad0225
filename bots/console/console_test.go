package console_test

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"

	"tracegate/bots/channel"
	"tracegate/bots/console"
	"tracegate/bots/dialog"
	"tracegate/bots/dialog/smstext"
	"tracegate/core"
	"tracegate/core/postgres"
	"tracegate/core/postgres/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

func TestConsoleAnswersLineByLine(t *testing.T) {
	db := postgres.New(pgtest.New(t))
	var out syncBuilder
	ch := &console.Channel{Policy: smstext.Keep, Out: &out, Self: "tel:+84977000001"}
	p, err := channel.New(channel.Config{
		Store: db, Services: postgres.NewServices(db), Pool: db.Pool,
		Dialog:   dialog.Dialog{BaseURL: "http://localhost:8080", DefaultLang: core.LangVI},
		Channels: map[string]channel.Channel{ch.Name(): ch}, Routes: map[string]string{"tel": ch.Name()},
		Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if err := p.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer p.Stop(ctx)
	c := &console.Console{Pipeline: p, Channel: ch, URN: ch.Self,
		In: strings.NewReader("HD\n\nEN\nxin chào\r\n"), Echo: true}
	if err := c.Run(ctx); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	for _, want := range []string{
		"> HD\n  Tra cứu: gửi mã tem",
		"English: EN. Ngừng nhận tin: STOP.\n  [2 SMS, UCS-2, 100 units]", // kept accented: SMS_ACCENTS=keep
		"> EN\n  Language set to English.\n  [1 SMS, GSM-7, 24 units]",
		"> xin chào\n  Sorry, we did not understand.",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
	var n int
	if err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM messages WHERE channel = 'console' AND status = 'sent'`).Scan(&n); err != nil || n != 3 {
		t.Fatalf("%d replies recorded as sent, %v", n, err)
	}
}
