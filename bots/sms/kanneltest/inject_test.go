package kanneltest

import (
	"strings"
	"testing"
)

func TestMOLine(t *testing.T) {
	for _, c := range []struct{ text, want string }{
		{"KH L7 1201-1500", "+84912345678 8079 text KH L7 1201-1500"},
		{"50% off & {€}", "+84912345678 8079 text 50% off & {€}"},
		// Not GSM: UCS-2, each UTF-16BE byte but letters and digits %XX.
		{"Mật ong", "+84912345678 8079 ucs2 %00M%1E%AD%00t%00%20%00o%00n%00g"},
		// GSM, but a line break cannot ride a line: UCS-2.
		{"a\nb", "+84912345678 8079 ucs2 %00a%00%0A%00b"},
		// Outside the BMP: a surrogate pair.
		{"🍯", "+84912345678 8079 ucs2 %D8%3C%DFo"},
	} {
		got, err := moLine("+84912345678", "8079", c.text)
		if err != nil || got != c.want {
			t.Errorf("moLine(%q) = %q, %v; want %q", c.text, got, err, c.want)
		}
		if got != "" && strings.Contains(c.want, " ucs2 ") {
			_, _, _, data, _ := parseMT(strings.Replace(got, " ucs2 ", " ucs-2 ", 1))
			if back := decodeUCS2(unescape(data)); back != c.text {
				t.Errorf("%q came back as %q", c.text, back)
			}
		}
	}
}

func TestMOLineRefuses(t *testing.T) {
	for _, c := range []struct{ from, to, text string }{
		{"", "8079", "x"},
		{"+84 912", "8079", "x"},
		{"+849", "80\n79", "x"},
		{"+849", "8079", "\xff"},
		{"+849", "8079", strings.Repeat("Mật ong ", 10)},
		{"+849", "8079", strings.Repeat("x", maxLine)},
	} {
		if line, err := moLine(c.from, c.to, c.text); err == nil {
			t.Errorf("moLine(%q, %q, %q) = %q, want an error", c.from, c.to, c.text, line)
		}
	}
}

func TestConfigHoldsOptions(t *testing.T) {
	o := Options{GetURL: "http://127.0.0.1:1/sms/kannel?secret=S&text=%b"}.withDefaults()
	if err := o.check(); err != nil {
		t.Fatal(err)
	}
	conf := config("/tmp/x", ports{1, 2, 3, 4}, o)
	for _, want := range []string{
		`get-url = "http://127.0.0.1:1/sms/kannel?secret=S&text=%b"`,
		`username = "kanneltest"`,
		"mo-recode = true",
		"max-messages = 0",
		`log-file = "/tmp/x/bearerbox.log"`,
	} {
		if !strings.Contains(conf, want+"\n") {
			t.Errorf("kannel.conf lacks %q:\n%s", want, conf)
		}
	}
	if (Options{GetURL: `http://x/"`}).check() == nil {
		t.Error("a quote in GetURL passed")
	}
}
