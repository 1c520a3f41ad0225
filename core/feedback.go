package core

import (
	"context"
	"time"
)

// Feedback is what a consumer says about a product, by its stamp's code.
type Feedback struct {
	ID         int64     `json:"id"`
	FacilityID int64     `json:"facility_id"`
	ProductID  *int64    `json:"product_id"`
	Code       Code      `json:"code"`
	Channel    string    `json:"channel"`
	URN        URN       `json:"-"` // never shown to the producer
	Body       string    `json:"body"`
	CreatedAt  time.Time `json:"created_at"`
}

// FeedbackService stores feedback against the product and facility.
type FeedbackService interface {
	// GiveFeedback parses codeInput, stores f against its stamp and fills
	// f's ids. A mistyped code is EINVALID, an unknown one ENOTFOUND.
	GiveFeedback(ctx context.Context, codeInput string, f *Feedback) error
	// FindFeedback returns feedback id on the actor's facility; another
	// facility's feedback is ENOTFOUND.
	FindFeedback(ctx context.Context, actor *Member, id int64) (*Feedback, error)
	// FindFeedbacks is a facility's inbox, newest first, at most limit.
	FindFeedbacks(ctx context.Context, facilityID int64, limit int) ([]*Feedback, error)
}

// Validate checks the feedback's own fields; the code is checked by the
// service against the stamps.
func (f *Feedback) Validate() error {
	var err error
	if f.Body, err = cleanText("feedback", f.Body, 1, 1600); err != nil {
		return err
	}
	if !channelPattern.MatchString(f.Channel) {
		return Errorf(EINVALID, "channel %q is not valid", f.Channel)
	}
	if f.URN == "" || len(f.URN) > 200 {
		return Errorf(EINVALID, "feedback needs the sender's URN")
	}
	return nil
}
