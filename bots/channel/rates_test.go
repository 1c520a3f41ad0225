package channel

import (
	"reflect"
	"testing"
	"time"
)

func TestParseRates(t *testing.T) {
	got, err := ParseRates(" telegram=30/1, twilio=1 ,kannel=0.5")
	want := map[string]RateLimit{"telegram": {30, 1}, "twilio": {1, 0}, "kannel": {0.5, 0}}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("ParseRates = %v, %v", got, err)
	}
	if got, err := ParseRates(""); err != nil || len(got) != 0 {
		t.Fatalf("empty: %v, %v", got, err)
	}
	for _, bad := range []string{"telegram", "telegram=x", "=5", "telegram=-1", "telegram=30/y"} {
		if _, err := ParseRates(bad); err == nil {
			t.Errorf("ParseRates(%q) accepted", bad)
		}
	}
	if got, err := ParseWorkers(" twilio=40,telegram=10 "); err != nil || !reflect.DeepEqual(got, map[string]int{"twilio": 40, "telegram": 10}) {
		t.Fatalf("ParseWorkers = %v, %v", got, err)
	}
	for _, bad := range []string{"twilio", "twilio=0", "twilio=x", "=5", "twilio=5000"} {
		if _, err := ParseWorkers(bad); err == nil {
			t.Errorf("ParseWorkers(%q) accepted", bad)
		}
	}
	if every(30) != time.Second/30 {
		t.Fatal("30 a second is not one per 33ms")
	}
}
