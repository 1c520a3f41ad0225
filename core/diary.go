package core

import (
	"context"
	"math"
	"time"
)

// UndoWindow is how long a member may take back their own last entry.
const UndoWindow = 24 * time.Hour

// LocateWindow is how long after an entry a location sent on its own
// still goes on it: chat apps send a shared location as a message of its
// own, after the words.
const LocateWindow = 10 * time.Minute

// MaxPhotos is the most photos an entry keeps: an album or an MMS holds
// at most ten.
const MaxPhotos = 10

// Location is a point on the map.
type Location struct {
	Lat float64 `json:"lat"`
	Lon float64 `json:"lon"`
}

// Check refuses a point that is not on Earth.
func (l Location) Check() error {
	if math.IsNaN(l.Lat) || math.IsNaN(l.Lon) || math.Abs(l.Lat) > 90 || math.Abs(l.Lon) > 180 {
		return Errorf(EINVALID, "location %v,%v is not on Earth", l.Lat, l.Lon)
	}
	return nil
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
	Note       string    `json:"note"`             // kept exactly as sent
	Photos     []string  `json:"photos,omitempty"` // references the channels fetch by (telegram:<file_id>, an MMS URL)
	// Album is the photos sent together with the entry's message whose
	// other photos come as messages of their own: they all go on it.
	Album      AlbumKey  `json:"-"`
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
	if len(e.Photos) > MaxPhotos {
		return Errorf(EINVALID, "%d photos is more than %d", len(e.Photos), MaxPhotos)
	}
	for _, ref := range e.Photos {
		if ref == "" || len(ref) > maxPhotoRef {
			return Errorf(EINVALID, "photo reference of %d bytes", len(ref))
		}
	}
	if err := e.Album.validate(); err != nil {
		return err
	}
	if l := e.Location; l != nil {
		if err := l.Check(); err != nil {
			return err
		}
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

const maxPhotoRef = 500

// AlbumKey names photos a person sent together that arrive as messages of
// their own (a Telegram album): the sender and the provider's group id.
type AlbumKey struct {
	URN   URN
	Group string
}

// IsZero reports whether the key names no album.
func (k AlbumKey) IsZero() bool { return k.Group == "" }

func (k AlbumKey) validate() error {
	if k.IsZero() {
		return nil
	}
	if len(k.Group) > maxProviderID || len(k.URN) < 3 || len(k.URN) > 200 {
		return Errorf(EINVALID, "album %q of %q cannot be kept", k.Group, k.URN)
	}
	return nil
}

// AlbumPhoto is one message of an album: its provider id and its photo,
// if it is one ("" for a video in an album).
type AlbumPhoto struct {
	MessageRef string
	Photo      string
}

// Album is what an album's messages have brought so far.
type Album struct {
	// Before is how many of its messages came before this one.
	Before int
	// EntryID is the entry the album's photos went on; 0 while none.
	EntryID int64
}

// DiaryService records and takes back diary entries.
type DiaryService interface {
	// RecordEntry adds e to the lot e.LotCode of the actor's facility; an
	// entry with an Album takes every photo the album has so far, and
	// those that come later, unless another entry took the album first.
	RecordEntry(ctx context.Context, actor *Member, e *DiaryEntry) error
	// AddToAlbum keeps one message of an album and holds the album for the
	// rest of the transaction, so that its messages are taken one at a
	// time, in whatever order and to whichever process they come. A photo
	// of an album an entry took goes on that entry.
	AddToAlbum(ctx context.Context, key AlbumKey, p AlbumPhoto) (*Album, error)
	// UndoLastEntry takes back the actor's own last entry of the past
	// UndoWindow and returns it; ENOTFOUND when there is none.
	UndoLastEntry(ctx context.Context, actor *Member) (*DiaryEntry, error)
	// LocateLastEntry puts loc on the actor's own last entry of the past
	// LocateWindow if it has no location yet, and returns it; ENOTFOUND
	// when there is none.
	LocateLastEntry(ctx context.Context, actor *Member, loc Location) (*DiaryEntry, error)
	// UndoEntry takes back any entry of a facility, with the reason, for
	// the console; ENOTFOUND for another facility's, or one undone.
	UndoEntry(ctx context.Context, facilityID, entryID int64, reason string) (*DiaryEntry, error)
	// FindEntry returns one entry that is not undone; ENOTFOUND otherwise.
	FindEntry(ctx context.Context, id int64) (*DiaryEntry, error)
	// FindEntries returns a lot's entries in the order they happened.
	FindEntries(ctx context.Context, lotID int64) ([]*DiaryEntry, error)
}
