package admin_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"tracegate/bots/admin"
	"tracegate/core/postgres"
	"tracegate/core/postgres/pgtest"
)

// newEPCISAPI is the API with the history wired, on the pgtest story.
func newEPCISAPI(t *testing.T) (*api, *pgtest.Story) {
	pool := pgtest.New(t)
	db := postgres.New(pool)
	st := pgtest.Seed{}.PlantStory(t, postgres.NewServices(db), pool)
	h := &admin.Handler{Token: token, BaseURL: "https://truyxuat.example.vn",
		Facilities: postgres.NewFacilityService(db), History: postgres.NewHistoryService(db)}
	srv := httptest.NewServer(h.Routes())
	t.Cleanup(srv.Close)
	return &api{t, srv, db}, st
}

// epcisEvents is a document's events: those of an EPCISDocument or of an
// EPCISQueryDocument's results.
func epcisEvents(t *testing.T, raw string) (docType string, events []map[string]any) {
	t.Helper()
	var doc struct {
		Type string `json:"type"`
		Body struct {
			EventList    []map[string]any `json:"eventList"`
			QueryResults struct {
				ResultsBody struct {
					EventList []map[string]any `json:"eventList"`
				} `json:"resultsBody"`
			} `json:"queryResults"`
		} `json:"epcisBody"`
	}
	if err := json.Unmarshal([]byte(raw), &doc); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, raw)
	}
	if doc.Type == "EPCISQueryDocument" {
		return doc.Type, doc.Body.QueryResults.ResultsBody.EventList
	}
	return doc.Type, doc.Body.EventList
}

func TestLotEPCIS(t *testing.T) {
	a, st := newEPCISAPI(t)
	res, err := a.get(fmt.Sprintf("/admin/api/lots/%d/epcis", st.Lot.ID))
	if err != nil {
		t.Fatal(err)
	}
	if res.status != http.StatusOK || res.contentType != "application/ld+json" {
		t.Fatalf("%d %s: %s", res.status, res.contentType, res.body)
	}
	docType, events := epcisEvents(t, res.body)
	if docType != "EPCISDocument" || len(events) != 15 || events[0]["tg:step"] != "sow" ||
		events[14]["disposition"] != "recalled" {
		t.Errorf("a %s of %d events: %v", docType, len(events), events)
	}

	tests := []struct {
		path   string
		status int
	}{
		{fmt.Sprintf("/admin/api/lots/%d/epcis", st.Batch.ID+100), http.StatusNotFound},
		{"/admin/api/lots/L1/epcis", http.StatusBadRequest},
		{"/admin/api/lots/0/epcis", http.StatusBadRequest},
	}
	for _, tt := range tests {
		if status, body := a.callRaw("GET", tt.path, "", "Bearer "+token); status != tt.status {
			t.Errorf("GET %s: %d %s, want %d", tt.path, status, body, tt.status)
		}
	}
	if status, _ := a.callRaw("GET", fmt.Sprintf("/admin/api/lots/%d/epcis", st.Lot.ID), "", ""); status != http.StatusUnauthorized {
		t.Errorf("without the token: %d", status)
	}
}

func TestEPCISEvents(t *testing.T) {
	a, st := newEPCISAPI(t)
	farm, processor := fmt.Sprint(st.Facility.ID), fmt.Sprint(st.Processor.ID)
	tests := []struct {
		name, query string
		steps       []string // each event's bizStep, in order
	}{
		{"a facility's shipments", "facility_id=" + farm + "&biz_step=shipping", []string{"shipping", "shipping"}},
		{"a lot, limited", fmt.Sprintf("lot_id=%d&limit=2", st.Lot.ID), []string{"other", "other"}},
		{"a time range, + unescaped", "facility_id=" + farm + "&from=2026-03-02T08:00:00+07:00&to=2026-03-03T10:00:00%2B07:00",
			[]string{"creating_class_instance"}},
		{"processing and harvests", "facility_id=" + processor + "&biz_step=creating_class_instance",
			[]string{"creating_class_instance"}},
		{"a CBV step tracegate never records", "facility_id=" + farm + "&biz_step=retail_selling", []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := a.get("/admin/api/epcis/events?" + tt.query)
			if err != nil {
				t.Fatal(err)
			}
			if res.status != http.StatusOK || res.contentType != "application/ld+json" {
				t.Fatalf("%d %s: %s", res.status, res.contentType, res.body)
			}
			docType, events := epcisEvents(t, res.body)
			steps := []string{}
			for _, ev := range events {
				steps = append(steps, fmt.Sprint(ev["bizStep"]))
			}
			if docType != "EPCISQueryDocument" || strings.Join(steps, " ") != strings.Join(tt.steps, " ") {
				t.Errorf("a %s of %v, want %v", docType, steps, tt.steps)
			}
		})
	}

	refused := []string{
		"",
		"biz_step=shipping",
		"facility_id=abc",
		"lot_id=0",
		"facility_id=" + farm + "&from=yesterday",
		"facility_id=" + farm + "&to=2026-03-01",
		"facility_id=" + farm + "&from=2026-03-02T00:00:00Z&to=2026-03-01T00:00:00Z",
		"facility_id=" + farm + "&biz_step=observing",
		"facility_id=" + farm + "&biz_step=urn:epcglobal:cbv:bizstep:shipping",
		"facility_id=" + farm + "&limit=1001",
	}
	for _, query := range refused {
		status, body := a.callRaw("GET", "/admin/api/epcis/events?"+query, "", "Bearer "+token)
		if status != http.StatusBadRequest || !strings.Contains(body, `"error"`) {
			t.Errorf("?%s: %d %s, want 400", query, status, body)
		}
	}
}

type answer struct {
	status      int
	contentType string
	body        string
}

func (a *api) get(path string) (answer, error) {
	req, err := http.NewRequest("GET", a.srv.URL+path, nil)
	if err != nil {
		return answer{}, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return answer{}, err
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	return answer{res.StatusCode, res.Header.Get("Content-Type"), string(body)}, err
}
