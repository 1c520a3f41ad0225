package postgres_test

import (
	"context"
	"strings"
	"testing"

	"tracegate/core"
)

func TestGiveFeedback(t *testing.T) {
	s := newServices(t)
	ctx := context.Background()
	a := s.newProducer(t, "HTX A", "0912345678")
	s.issue(t, a, 3)
	lot := s.openLot(t, a)
	s.activate(t, a, lot, 1, 1)
	onProduct, notOnLot := s.codeOf(t, a, 1), s.codeOf(t, a, 2)
	wrong := changeSymbol(onProduct, 0)

	tests := []struct {
		name        string
		code        string
		body        string
		want        core.ErrorCode
		withProduct bool
	}{
		{"on an activated stamp", onProduct.Printed(), "Mật ong ngon, đóng gói đẹp!", "", true},
		{"stamp not on a lot", string(notOnLot), "Tem chưa kích hoạt?", "", false},
		{"mistyped code", wrong, "x", core.EINVALID, false},
		{"unknown code", string(unusedCode(t, s)), "x", core.ENOTFOUND, false},
		{"empty", string(onProduct), "   ", core.EINVALID, false},
		{"too long", string(onProduct), strings.Repeat("a", 1601), core.EINVALID, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := s.count(t, `SELECT count(*) FROM feedback`)
			f := &core.Feedback{Channel: "sms", URN: "tel:+84977000001", Body: tt.body}
			err := s.Feedback.GiveFeedback(ctx, tt.code, f)
			wantCode(t, err, tt.want)
			if tt.want != "" {
				if s.count(t, `SELECT count(*) FROM feedback`) != before {
					t.Fatal("refused feedback was stored")
				}
				return
			}
			if f.ID == 0 || f.FacilityID != a.facility.ID || (f.ProductID != nil) != tt.withProduct {
				t.Fatalf("stored %+v", f)
			}
			var body string
			if err := s.db.Pool.QueryRow(ctx, `SELECT body FROM feedback WHERE id = $1`, f.ID).Scan(&body); err != nil || body != tt.body {
				t.Fatalf("body stored as %q, %v", body, err)
			}
		})
	}
}
