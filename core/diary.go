package core

import (
	"context"
	"math"
	"time"
)

// UndoWindow is how long a member may take back their own last entry.
const UndoWindow = 24 * time.Hour

// Location is a point on the map.
type Location struct {
	Lat float64 `json:"lat"`
	Lon float64 `json:"lon"`
}

// DiaryEntry is one line of a lot's production diary.
type DiaryEntry struct {
	ID         int64     `json:"id"`
	FacilityID int64     `json:"facility_id"`
	LotID      int64     `json:"lot_id"`
	LotCode    string    `json:"lot_code"`
	Step       Step      `json:"step"`
	HappenedAt time.Time `json:"happened_at"`
	Quantity   *Quantity `json:"quantity,omitempty"`
	Note       string    `json:"note"` // kept exactly as sent
	PhotoRef   string    `json:"photo_ref,omitempty"`
	Location   *Location `json:"location,omitempty"`
	MemberID   int64     `json:"member_id"`
	Channel    string    `json:"channel"`
	MessageRef string    `json:"message_ref,omitempty"` // the inbound message it came from
	CreatedAt  time.Time `json:"created_at"`
}

// Validate checks the entry's own fields; the lot and member are checked
// against the database by the service.
func (e *DiaryEntry) Validate() error {
	if !e.Step.Valid() {
		return Errorf(EINVALID, "unknown diary step %q", e.Step)
	}
	if e.Quantity != nil {
		q, err := ParseQuantity(e.Quantity.Value, string(e.Quantity.Unit))
		if err != nil {
			return err
		}
		e.Quantity = &q
	}
	var err error
	if e.Note, err = cleanText("note", e.Note, 0, 1600); err != nil {
		return err
	}
	if len(e.PhotoRef) > 500 {
		return Errorf(EINVALID, "photo reference is too long")
	}
	if l := e.Location; l != nil && (math.IsNaN(l.Lat) || math.IsNaN(l.Lon) ||
		math.Abs(l.Lat) > 90 || math.Abs(l.Lon) > 180) {
		return Errorf(EINVALID, "location %v,%v is not on Earth", l.Lat, l.Lon)
	}
	if !channelPattern.MatchString(e.Channel) {
		return Errorf(EINVALID, "channel %q is not valid", e.Channel)
	}
	if len(e.MessageRef) > 200 {
		return Errorf(EINVALID, "message reference is too long")
	}
	return nil
}

// DiarySummary is what a consumer is told about a lot's diary.
type DiarySummary struct {
	Steps       int           `json:"steps"`
	HarvestedAt *time.Time    `json:"harvested_at,omitempty"`
	PackedAt    *time.Time    `json:"packed_at,omitempty"`
	Entries     []*DiaryEntry `json:"entries"`
}

// SummarizeDiary tells a consumer how many steps a lot's diary has and
// when it was last harvested and packed; entries are in the order they
// happened.
func SummarizeDiary(entries []*DiaryEntry) *DiarySummary {
	d := &DiarySummary{Steps: len(entries), Entries: entries}
	for _, e := range entries {
		switch e.Step {
		case StepHarvest:
			d.HarvestedAt = &e.HappenedAt
		case StepPack:
			d.PackedAt = &e.HappenedAt
		}
	}
	return d
}

// DiaryService records and takes back diary entries.
type DiaryService interface {
	// RecordEntry adds e to the lot e.LotCode of the actor's facility.
	RecordEntry(ctx context.Context, actor *Member, e *DiaryEntry) error
	// UndoLastEntry takes back the actor's own last entry of the past
	// UndoWindow and returns it; ENOTFOUND when there is none.
	UndoLastEntry(ctx context.Context, actor *Member) (*DiaryEntry, error)
	// FindEntry returns one entry that is not undone; ENOTFOUND otherwise.
	FindEntry(ctx context.Context, id int64) (*DiaryEntry, error)
	// FindEntries returns a lot's entries in the order they happened.
	FindEntries(ctx context.Context, lotID int64) ([]*DiaryEntry, error)
}
