// Package epcis turns what tracegate knows about lots into GS1 EPCIS 2.0
// JSON-LD: an EPCISDocument for a lot, an EPCISQueryDocument for a query.
// Every document is meant to validate against GS1's EPCIS 2.0 JSON Schema;
// the tests check that with GS1's schema itself.
package epcis

import (
	"time"

	"tracegate/core"
)

// GS1Context is the JSON-LD context of EPCIS 2.0 that every document names.
const GS1Context = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"

// ContentType is what an EPCIS 2.0 JSON-LD answer is served as.
const ContentType = "application/ld+json"

// Document is an EPCISDocument: a lot's events.
type Document struct {
	Context       []any    `json:"@context"`
	Type          string   `json:"type"`
	SchemaVersion string   `json:"schemaVersion"`
	CreationDate  string   `json:"creationDate"`
	Body          BodyList `json:"epcisBody"`
}

// BodyList holds events; the list is never null, even when empty.
type BodyList struct {
	EventList []*Event `json:"eventList"`
}

// QueryDocument is an EPCISQueryDocument: the answer to a query of events,
// as a SimpleEventQuery's results.
type QueryDocument struct {
	Context       []any     `json:"@context"`
	Type          string    `json:"type"`
	SchemaVersion string    `json:"schemaVersion"`
	CreationDate  string    `json:"creationDate"`
	Body          QueryBody `json:"epcisBody"`
}

type QueryBody struct {
	QueryResults QueryResults `json:"queryResults"`
}

type QueryResults struct {
	QueryName   string   `json:"queryName"`
	ResultsBody BodyList `json:"resultsBody"`
}

// Builder builds documents whose own identifiers and extension namespace
// live under BaseURL (PUBLIC_BASE_URL).
type Builder struct {
	BaseURL string
}

// devBaseURL stands in for an unset PUBLIC_BASE_URL (dev, tests): the
// identifiers are still URIs, only not reachable from outside.
const devBaseURL = "http://localhost:8080"

func (b Builder) base() string {
	if b.BaseURL == "" {
		return devBaseURL
	}
	return b.BaseURL
}

// Namespace is the tracegate extension namespace, bound to the prefix tg:
// in every document's context.
func (b Builder) Namespace() string { return b.base() + "/ns/epcis#" }

func (b Builder) context() []any {
	return []any{GS1Context, map[string]string{"tg": b.Namespace()}}
}

// Document is events (in the order given) as an EPCISDocument created at
// created.
func (b Builder) Document(events []*core.LotEvent, created time.Time) *Document {
	return &Document{Context: b.context(), Type: "EPCISDocument", SchemaVersion: "2.0",
		CreationDate: stamp(created), Body: BodyList{EventList: b.Events(events)}}
}

// QueryDocument is events as the results of a SimpleEventQuery.
func (b Builder) QueryDocument(events []*core.LotEvent, created time.Time) *QueryDocument {
	return &QueryDocument{Context: b.context(), Type: "EPCISQueryDocument", SchemaVersion: "2.0",
		CreationDate: stamp(created), Body: QueryBody{QueryResults: QueryResults{QueryName: "SimpleEventQuery",
			ResultsBody: BodyList{EventList: b.Events(events)}}}}
}

// Events is each lot event as one EPCIS event.
func (b Builder) Events(events []*core.LotEvent) []*Event {
	out := make([]*Event, 0, len(events))
	for _, ev := range events {
		out = append(out, b.Event(ev))
	}
	return out
}

// vietnam is the offset every tracegate event happens at; Vietnam keeps
// no daylight saving time, so the offset is fixed.
var vietnam = time.FixedZone("ICT", 7*60*60)

const timeZoneOffset = "+07:00"

// stamp writes t as RFC 3339 in Vietnam's offset, to the millisecond so
// events of one second keep their order.
func stamp(t time.Time) string {
	return t.In(vietnam).Format("2006-01-02T15:04:05.000Z07:00")
}
