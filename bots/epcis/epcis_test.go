package epcis_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"tracegate/bots/epcis"
	"tracegate/core"
	"tracegate/core/postgres"
	"tracegate/core/postgres/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

const base = "https://truyxuat.example.vn"

var created = time.Date(2026, 3, 10, 0, 0, 0, 0, time.UTC)

// story is the pgtest story, each lot's history, and their documents
// decoded as a receiver would.
type story struct {
	*pgtest.Story
	farm, batch     []*core.LotEvent
	farmDoc, batchD map[string]any
	history         *postgres.HistoryService
}

func newStory(t *testing.T) *story {
	t.Helper()
	pool := pgtest.New(t)
	db := postgres.New(pool)
	st := &story{Story: pgtest.Seed{}.PlantStory(t, postgres.NewServices(db), pool), history: postgres.NewHistoryService(db)}
	var err error
	if st.farm, err = st.history.LotHistory(context.Background(), st.Lot.ID); err != nil {
		t.Fatal(err)
	}
	if st.batch, err = st.history.LotHistory(context.Background(), st.Batch.ID); err != nil {
		t.Fatal(err)
	}
	b := epcis.Builder{BaseURL: base}
	st.farmDoc, st.batchD = decode(t, b.Document(st.farm, created)), decode(t, b.Document(st.batch, created))
	return st
}

func decode(t *testing.T, v any) map[string]any {
	t.Helper()
	raw, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out map[string]any
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// at follows a dotted path (keys, and indexes into lists) in decoded JSON;
// nil when it leads nowhere.
func at(v any, path string) any {
	for _, part := range strings.Split(path, ".") {
		switch node := v.(type) {
		case map[string]any:
			v = node[part]
		case []any:
			i, err := strconv.Atoi(part)
			if err != nil || i < 0 || i >= len(node) {
				return nil
			}
			v = node[i]
		default:
			return nil
		}
	}
	return v
}

// check compares every path of want with doc's value there.
func check(t *testing.T, doc any, prefix string, want map[string]any) {
	t.Helper()
	for path, w := range want {
		full := path
		if prefix != "" {
			full = prefix + "." + path
		}
		if got := at(doc, full); fmt.Sprint(got) != fmt.Sprint(w) {
			t.Errorf("%s = %v, want %v", full, got, w)
		}
	}
}

func TestLotDocument(t *testing.T) {
	st := newStory(t)
	lot := fmt.Sprintf("%s/id/lot/%d", base, st.Lot.ID)
	farm := fmt.Sprintf("%s/id/facility/%d", base, st.Facility.ID)
	processor := "https://id.gs1.org/414/" + pgtest.StoryGLN
	check(t, st.farmDoc, "", map[string]any{
		"@context.0": epcis.GS1Context, "@context.1.tg": base + "/ns/epcis#",
		"type": "EPCISDocument", "schemaVersion": "2.0", "creationDate": "2026-03-10T07:00:00.000+07:00",
	})
	if n := len(at(st.farmDoc, "epcisBody.eventList").([]any)); n != len(st.farm) || n != 15 {
		t.Fatalf("%d events in the document, %d in the history", n, len(st.farm))
	}
	care := func(step, amount, uom string) map[string]any {
		return map[string]any{"type": "ObjectEvent", "action": "OBSERVE", "bizStep": "other", "tg:step": step,
			"tg:channel": "sms", "quantityList.0.epcClass": lot, "quantityList.0.quantity": nil,
			"tg:quantity": amount, "tg:uom": uom, "readPoint.id": farm, "bizLocation.id": farm, "ilmd": nil}
	}
	shipment := func(qty float64, uom string) map[string]any {
		return map[string]any{"action": "OBSERVE", "bizStep": "shipping", "disposition": "in_transit",
			"quantityList.0.epcClass": lot, "quantityList.0.quantity": qty, "quantityList.0.uom": uom,
			"sourceList.0.type": "owning_party", "sourceList.0.source": farm, "destinationList.0.type": "owning_party"}
	}
	events := []map[string]any{
		care("sow", "2", "DAA"),
		care("plant", "30", "H87"),
		care("feed", "1.5", "H87"),
		care("spray", "250", "MLT"),
		care("water", "20", "LTR"),
		care("other", "<nil>", "<nil>"),
		{"type": "ObjectEvent", "action": "ADD", "bizStep": "creating_class_instance", "disposition": "active",
			"eventTime": "2026-03-02T08:00:00.000+07:00", "eventTimeZoneOffset": "+07:00",
			"quantityList.0.epcClass": lot, "ilmd.cbvmda:lotNumber": "L1", "ilmd.cbvmda:countryOfOrigin": "VN",
			"tg:step": "harvest"},
		{"action": "OBSERVE", "bizStep": "packing", "disposition": "in_progress", "quantityList.0.quantity": 200.0,
			"quantityList.0.uom": "H87", "tg:unit": "chai"},
		{"action": "ADD", "bizStep": "commissioning", "disposition": "active", "tg:serialRanges": "[1-10]",
			"epcList.0": base + "/t/" + string(st.Codes[0]), "epcList.9": base + "/t/" + string(st.Codes[9]),
			"ilmd.tg:lot": lot, "quantityList": nil},
		{"action": "DELETE", "bizStep": "decommissioning", "disposition": "inactive", "tg:serialRanges": "[9-10]",
			"epcList.0": base + "/t/" + string(st.Codes[8]), "epcList.2": nil},
		{"action": "ADD", "bizStep": "commissioning", "tg:serialRanges": "[11-12 14-15]",
			"epcList.2": base + "/t/" + string(st.Codes[13]), "epcList.4": nil},
		{"action": "OBSERVE", "bizStep": "receiving", "quantityList.0.quantity": 40.0, "quantityList.0.uom": "H87",
			"sourceList.0.type": "owning_party", "destinationList.0.destination": farm, "tg:what": "thùng ong",
			"tg:supplierName": "Đại lý Ong Việt", "tg:supplierLot": "T-7"},
		shipment(2, "DTN"),
		shipment(50, "KGM"),
		{"action": "OBSERVE", "bizStep": "holding", "disposition": "recalled", "quantityList.0.epcClass": lot,
			"tg:recallReason": "dư lượng kháng sinh"},
	}
	events[12]["destinationList.0.destination"] = processor
	events[12]["tg:buyerName"] = "cong ty che bien song doc"
	events[13]["destinationList.0.destination"] = fmt.Sprintf("%s/id/shipment/%d/buyer", base, st.farm[13].Shipment.ID)
	for i, want := range events {
		check(t, st.farmDoc, fmt.Sprintf("epcisBody.eventList.%d", i), want)
	}
	for i, ev := range at(st.farmDoc, "epcisBody.eventList").([]any) {
		if id, _ := at(ev, "eventID").(string); !strings.HasPrefix(id, base+"/id/event/") {
			t.Errorf("event %d has the id %q", i, id)
		}
		if tm, _ := at(ev, "eventTime").(string); !strings.HasSuffix(tm, "+07:00") {
			t.Errorf("event %d happened at %q", i, tm)
		}
	}
}

func TestProcessedLotDocument(t *testing.T) {
	st := newStory(t)
	batch := "https://id.gs1.org/01/0" + pgtest.StoryGTIN + "/10/L1"
	processor := "https://id.gs1.org/414/" + pgtest.StoryGLN
	farmLot := fmt.Sprintf("%s/id/lot/%d", base, st.Lot.ID)
	events := []map[string]any{
		{"type": "TransformationEvent", "action": nil, "bizStep": "creating_class_instance",
			"transformationID":             fmt.Sprintf("%s/id/transformation/%d", base, st.Batch.ID),
			"inputQuantityList.0.epcClass": farmLot, "inputQuantityList.0.quantity": 2.0, "inputQuantityList.0.uom": "DTN",
			"outputQuantityList.0.epcClass": batch, "outputQuantityList.0.quantity": 180.0,
			"outputQuantityList.0.uom": "KGM", "readPoint.id": processor, "ilmd.tg:productName": "Mật ong hũ 500 g",
			"tg:channel": "telegram"},
		{"bizStep": "packing", "quantityList.0.epcClass": batch, "quantityList.0.quantity": 360.0},
		{"bizStep": "receiving", "quantityList.0.epcClass": farmLot,
			"sourceList.0.source":           fmt.Sprintf("%s/id/facility/%d", base, st.Facility.ID),
			"destinationList.0.destination": processor, "tg:supplierName": "HTX Mật ong U Minh"},
		{"bizStep": "shipping", "quantityList.0.epcClass": batch, "sourceList.0.source": processor,
			"tg:buyerName": "Siêu thị Co.op Cà Mau"},
	}
	for i, want := range events {
		check(t, st.batchD, fmt.Sprintf("epcisBody.eventList.%d", i), want)
	}
}

func TestQueryDocument(t *testing.T) {
	st := newStory(t)
	doc := decode(t, epcis.Builder{BaseURL: base}.QueryDocument(st.farm[:2], created))
	check(t, doc, "", map[string]any{
		"type": "EPCISQueryDocument", "epcisBody.queryResults.queryName": "SimpleEventQuery",
		"epcisBody.queryResults.resultsBody.eventList.1.tg:step": "plant",
	})
	empty := decode(t, epcis.Builder{}.QueryDocument(nil, created))
	if list, ok := at(empty, "epcisBody.queryResults.resultsBody.eventList").([]any); !ok || len(list) != 0 {
		t.Errorf("no events is an empty list, not %v", list)
	}
}

func TestFilter(t *testing.T) {
	tests := []struct {
		bizStep string
		emitted bool
		kinds   []core.EventKind
		steps   []core.Step
		code    core.ErrorCode
	}{
		{"commissioning", true, []core.EventKind{core.EventActivation}, nil, ""},
		{"shipping", true, []core.EventKind{core.EventShipment}, nil, ""},
		{"creating_class_instance", true, nil, []core.Step{core.StepHarvest, core.StepProcess}, ""},
		{"other", true, nil, []core.Step{core.StepSow, core.StepPlant, core.StepFeed, core.StepSpray, core.StepWater, core.StepOther}, ""},
		{"holding", true, []core.EventKind{core.EventRecall}, nil, ""},
		{"retail_selling", false, nil, nil, ""},
		{"urn:epcglobal:cbv:bizstep:shipping", false, nil, nil, core.EINVALID},
		{"observing", false, nil, nil, core.EINVALID},
	}
	for _, tt := range tests {
		t.Run(tt.bizStep, func(t *testing.T) {
			var f core.EventFilter
			emitted, err := epcis.Filter(&f, tt.bizStep)
			if core.ErrorCodeOf(err) != tt.code || emitted != tt.emitted ||
				fmt.Sprint(f.Kinds) != fmt.Sprint(tt.kinds) || fmt.Sprint(f.Steps) != fmt.Sprint(tt.steps) {
				t.Errorf("got %v %v %v, %v", emitted, f.Kinds, f.Steps, err)
			}
		})
	}
}

// TestGS1Schema validates what tracegate emits against GS1's own schema:
// both lots' documents, a query's, an empty one.
func TestGS1Schema(t *testing.T) {
	st := newStory(t)
	b := epcis.Builder{BaseURL: base}
	validateWithGS1(t, map[string]any{
		"farm-lot":  st.farmDoc,
		"batch-lot": st.batchD,
		"query":     b.QueryDocument(append(st.farm, st.batch...), created),
		"empty":     b.Document(nil, created),
		"dev-base":  epcis.Builder{}.Document(st.batch, created),
		"empty-qry": b.QueryDocument(nil, created),
	})
}

// TestGS1SchemaRefuses makes sure the check can fail: our documents, each
// broken in a way the notes say GS1's schema refuses.
func TestGS1SchemaRefuses(t *testing.T) {
	st := newStory(t)
	tests := []struct {
		name  string
		path  string // of a key in the harvest event, set to value
		value any
	}{
		{"a bizStep as a URN", "bizStep", "urn:epcglobal:cbv:bizstep:commissioning"},
		{"a lowercase unit", "quantityList", []any{map[string]any{"epcClass": "https://x.example/1", "quantity": 1, "uom": "kg"}}},
		{"a time without offset", "eventTime", "2026-03-02T08:00:00"},
		{"an offset written +7:00", "eventTimeZoneOffset", "+7:00"},
		{"an unprefixed extension", "farmCode", "U1"},
		{"ilmd on OBSERVE", "action", "OBSERVE"},
	}
	docs := map[string]any{}
	for i, tt := range tests {
		doc := decode(t, st.farmDoc)
		harvest := at(doc, "epcisBody.eventList.6").(map[string]any)
		harvest[tt.path] = tt.value
		docs[fmt.Sprintf("broken-%d", i)] = doc
	}
	report, _ := gs1Verdict(t, docs)
	for i, tt := range tests {
		if !strings.Contains(report, fmt.Sprintf("broken-%d.json: INVALID", i)) {
			t.Errorf("GS1's schema accepts %s:\n%s", tt.name, report)
		}
	}
}
