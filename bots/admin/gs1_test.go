package admin_test

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"

	"tracegate/core/postgres"
)

// The GS1 keys go in through the API and come back out, as digits.
func TestGS1KeysRoundTrip(t *testing.T) {
	a := newAPI(t)
	status, f := a.call("POST", "/admin/api/facilities", `{"name":"HTX Nước mắm Sông Đốc","gln":"0614141 000005"}`)
	if status != http.StatusCreated || f["gln"] != "0614141000005" {
		t.Fatalf("facility: %d %v", status, f)
	}
	plain := a.create("/admin/api/facilities", `{"name":"HTX không có GLN","gln":null}`)
	fid := itoa(int64(f["id"].(float64)))

	tests := []struct {
		code, gtin, want string
	}{
		{"NUOCMAM", "4006381333931", "4006381333931"},
		{"TOMKHO", "036000291452", "036000291452"},
		{"GAO", "96385074", "96385074"},
		{"MAMTOM", "8 0614141 12345 8", "80614141123458"},
		{"MUOI", "", ""},
	}
	for _, tt := range tests {
		status, p := a.call("POST", "/admin/api/products", `{"facility_id":`+fid+`,"code":"`+tt.code+`","name":"x","gtin":"`+tt.gtin+`"}`)
		if status != http.StatusCreated || (p["gtin"] != nil) != (tt.want != "") || (tt.want != "" && p["gtin"] != tt.want) {
			t.Errorf("product %s: %d %v, want gtin %q", tt.code, status, p, tt.want)
		}
	}
	products, err := postgres.NewProductService(a.db).FindProducts(context.Background(), int64(f["id"].(float64)))
	if err != nil {
		t.Fatal(err)
	}
	stored := map[string]string{}
	for _, p := range products {
		stored[p.Code] = p.GTIN
	}
	for _, tt := range tests {
		if stored[tt.code] != tt.want {
			t.Errorf("%s stored with gtin %q, want %q", tt.code, stored[tt.code], tt.want)
		}
	}

	status, raw := a.callRaw("GET", "/admin/api/facilities", "", "Bearer "+token)
	var list []map[string]any
	if err := json.Unmarshal([]byte(raw), &list); err != nil || status != http.StatusOK || len(list) != 2 {
		t.Fatalf("facilities: %d %s", status, raw)
	}
	if list[0]["gln"] != "0614141000005" || list[1]["id"] != float64(plain) || list[1]["gln"] != nil {
		t.Fatalf("facilities listed as %s", raw)
	}
}
