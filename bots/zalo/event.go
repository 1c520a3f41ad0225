package zalo

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"tracegate/bots/channel"
	"tracegate/core"
)

// envelope is what the signature covers besides the body.
type envelope struct {
	AppID     string `json:"app_id"`
	Timestamp string `json:"timestamp"` // milliseconds, as a string
}

// event is a webhook event as Zalo posts it; only what we use.
type event struct {
	EventName string `json:"event_name"`
	Timestamp string `json:"timestamp"`
	Sender    struct {
		ID string `json:"id"`
	} `json:"sender"`
	Follower struct {
		ID string `json:"id"`
	} `json:"follower"`
	Message struct {
		MsgID       string       `json:"msg_id"`
		Text        string       `json:"text"`
		Attachments []attachment `json:"attachments"`
		// Location is where some integrators find a shared place instead
		// of in the attachments: either is read.
		Location *coordinates `json:"location"`
	} `json:"message"`
}

type coordinates struct {
	Latitude  number `json:"latitude"`
	Longitude number `json:"longitude"`
}

type attachment struct {
	Type    string `json:"type"`
	Payload struct {
		URL         string      `json:"url"`
		Coordinates coordinates `json:"coordinates"`
	} `json:"payload"`
}

// number is a coordinate, which Zalo sends as a string in some events
// and a number in others.
type number float64

func (n *number) UnmarshalJSON(b []byte) error {
	f, err := strconv.ParseFloat(strings.Trim(string(b), `"`), 64)
	if err != nil {
		return fmt.Errorf("coordinate %s: %w", b, err)
	}
	*n = number(f)
	return nil
}

// errMalformed is an event that names no Zalo user: signed, but never
// storable.
var errMalformed = errors.New("zalo event without a user id")

// attachments are the events whose content the dialog cannot read: it
// answers that it cannot, by the name here.
var attachments = map[string]string{
	"user_send_sticker": "sticker", "user_send_gif": "sticker", "user_send_audio": "audio",
	"user_send_video": "video", "user_send_file": "file", "user_send_link": "link",
	"user_send_business_card": "contact card",
}

// handle hands an event to the pipeline: what people send is a message,
// following and unfollowing resume and stop what we send them; any other
// event (our own messages echoed, reads) is acknowledged and dropped.
func (z *Zalo) handle(ctx context.Context, p *channel.Pipeline, ev event) error {
	switch ev.EventName {
	case "follow", "unfollow":
		urn, err := core.ZaloURN(ev.Follower.ID)
		if err != nil {
			return fmt.Errorf("%w: %v", errMalformed, err)
		}
		return p.SetStopped(ctx, urn, ev.EventName == "unfollow")
	case "user_send_text", "user_send_image", "user_send_location":
	default:
		if _, ok := attachments[ev.EventName]; !ok {
			return nil
		}
	}
	urn, err := core.ZaloURN(ev.Sender.ID)
	if err != nil {
		return fmt.Errorf("%w: %v", errMalformed, err)
	}
	return p.Receive(ctx, z, inbound(urn, ev))
}

// inbound normalises a message event; msg_id is the dedupe key, so a
// redelivered event is stored once.
func inbound(urn core.URN, ev event) channel.Inbound {
	in := channel.Inbound{URN: urn, Text: ev.Message.Text, ProviderID: ev.Message.MsgID,
		ReceivedAt: receivedAt(ev.Timestamp), Attachment: attachments[ev.EventName]}
	places := []*coordinates{ev.Message.Location}
	for _, a := range ev.Message.Attachments {
		switch {
		case a.Type == "image" && a.Payload.URL != "":
			in.Photos = append(in.Photos, name+":"+a.Payload.URL)
		case a.Type == "location":
			places = append(places, &a.Payload.Coordinates)
		}
	}
	for _, c := range places {
		// A place off the map is dropped here, not stored as a NaN no
		// JSON can hold.
		if c == nil {
			continue
		}
		if loc := (core.Location{Lat: float64(c.Latitude), Lon: float64(c.Longitude)}); loc.Check() == nil {
			in.Location = &loc
		}
	}
	return in
}

// receivedAt reads Zalo's timestamp in milliseconds; now when absent.
func receivedAt(ms string) time.Time {
	n, err := strconv.ParseInt(ms, 10, 64)
	if err != nil || n <= 0 {
		return time.Now()
	}
	return time.UnixMilli(n)
}
