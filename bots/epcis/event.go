package epcis

import "encoding/json"

// Event is one EPCIS 2.0 event, ObjectEvent or TransformationEvent: the
// fields either uses, each left out when empty. Keys with the prefix tg:
// are tracegate's extension (see Builder.Namespace); cbvmda: is CBV master
// data, which the GS1 context defines.
type Event struct {
	Type                string `json:"type"`
	EventID             string `json:"eventID"`
	EventTime           string `json:"eventTime"`
	EventTimeZoneOffset string `json:"eventTimeZoneOffset"`
	Action              string `json:"action,omitempty"` // not on a TransformationEvent

	EPCList            []string   `json:"epcList,omitempty"`
	QuantityList       []Quantity `json:"quantityList,omitempty"`
	InputQuantityList  []Quantity `json:"inputQuantityList,omitempty"`
	OutputQuantityList []Quantity `json:"outputQuantityList,omitempty"`
	TransformationID   string     `json:"transformationID,omitempty"`

	BizStep         string        `json:"bizStep,omitempty"`
	Disposition     string        `json:"disposition,omitempty"`
	ReadPoint       *Place        `json:"readPoint,omitempty"`
	BizLocation     *Place        `json:"bizLocation,omitempty"`
	SourceList      []Source      `json:"sourceList,omitempty"`
	DestinationList []Destination `json:"destinationList,omitempty"`
	ILMD            *ILMD         `json:"ilmd,omitempty"`

	Step         string      `json:"tg:step,omitempty"`     // the diary step as tracegate names it: feed, spray
	Channel      string      `json:"tg:channel,omitempty"`  // where the fact was told: sms, telegram
	Note         string      `json:"tg:note,omitempty"`     // the diary note as sent
	Unit         string      `json:"tg:unit,omitempty"`     // the unit as typed: yen, bao
	Amount       json.Number `json:"tg:quantity,omitempty"` // what a care step used, in tg:uom
	AmountUOM    string      `json:"tg:uom,omitempty"`
	SerialRanges []string    `json:"tg:serialRanges,omitempty"` // stamps' serials: 1-10
	What         string      `json:"tg:what,omitempty"`         // an input as named
	SupplierName string      `json:"tg:supplierName,omitempty"`
	SupplierLot  string      `json:"tg:supplierLot,omitempty"` // the supplier's lot as typed
	BuyerName    string      `json:"tg:buyerName,omitempty"`
	RecallReason string      `json:"tg:recallReason,omitempty"`
	Photos       []string    `json:"tg:photos,omitempty"` // a diary entry's photos, as served by /photo/{id}/{n}
}

// Quantity is a quantityList element: a class of objects and how much of
// it, in a UN/ECE Rec 20 unit. Quantity is a JSON number written from the
// exact decimal, so nothing rounds; without it the event speaks of the
// class as a whole.
type Quantity struct {
	EPCClass string      `json:"epcClass"`
	Quantity json.Number `json:"quantity,omitempty"`
	UOM      string      `json:"uom,omitempty"`
}

// Place is a readPoint or bizLocation.
type Place struct {
	ID string `json:"id"`
}

// Source and Destination are the parties a shipment or input passes
// between; Type is a CBV source/destination type such as owning_party.
type Source struct {
	Type   string `json:"type"`
	Source string `json:"source"`
}

type Destination struct {
	Type        string `json:"type"`
	Destination string `json:"destination"`
}

// ILMD is master data of a lot as it comes into being.
type ILMD struct {
	LotNumber       string `json:"cbvmda:lotNumber,omitempty"`
	CountryOfOrigin string `json:"cbvmda:countryOfOrigin,omitempty"`
	Lot             string `json:"tg:lot,omitempty"` // the lot's identifier, for stamps commissioned onto it
	ProductName     string `json:"tg:productName,omitempty"`
}
