package console_test

import (
	"context"
	"strings"
	"testing"

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
	d := &dialog.Dialog{Services: postgres.NewServices(db), BaseURL: "http://localhost:8080", DefaultLang: core.LangVI}
	var out strings.Builder
	c := &console.Console{Dialog: d, URN: "tel:+84977000001", Policy: smstext.Keep,
		In: strings.NewReader("HD\n\nEN\nxin chào\r\n"), Out: &out, Echo: true}
	if err := c.Run(context.Background()); err != nil {
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
}
