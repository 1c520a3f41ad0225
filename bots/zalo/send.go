package zalo

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"tracegate/bots/channel"
)

// Zalo's errors that change what we do, as Zalo's error table names
// them (integrators' copies of it; the others are permanent).
const (
	errToken        = -216 // the access token is invalid
	errTokenExpired = -220 // the access token has expired or was removed
	errNotFollower  = -213 // the user does not follow the OA
	errInactive     = -227 // the user is banned or offline for over 45 days
	errNoInteract   = -230 // no interaction with the OA in the last 7 days
	errNoInteract2  = -232 // no interaction yet, or the last one expired
	errRateLimit    = -32  // the app called the API too often this minute
	errQuota        = -211 // the OA is out of its message quota
)

// quotaWait is how long a send waits when the OA has used its quota,
// which renews by the day or the month, not the minute.
const quotaWait = time.Hour

// rateWait is how long a send waits after Zalo's rate error, which says
// no time of its own.
const rateWait = time.Minute

// apiAnswer is what OA API v3 answers, on success and on error alike.
type apiAnswer struct {
	Error   int    `json:"error"`
	Message string `json:"message"`
	Data    struct {
		MessageID string `json:"message_id"`
	} `json:"data"`
}

// sendText posts one consultation text message. An access token Zalo
// calls invalid is refreshed (or replaced by the one another process
// stored) and the message tried once more, in this same send.
func (z *Zalo) sendText(ctx context.Context, user, text string) (string, error) {
	token, err := z.accessToken(ctx)
	if err != nil {
		return "", &channel.SendError{Kind: channel.Retry, Err: err}
	}
	ans, err := z.postText(ctx, token, user, text)
	if err == nil && (ans.Error == errToken || ans.Error == errTokenExpired) {
		if token, err = z.refresh(ctx, token); err != nil {
			return "", &channel.SendError{Kind: channel.Retry, Err: err}
		}
		ans, err = z.postText(ctx, token, user, text)
	}
	if err != nil {
		return "", err
	}
	return ans.Data.MessageID, classify(ans)
}

// postText makes the call; an error is already a SendError.
func (z *Zalo) postText(ctx context.Context, token, user, text string) (apiAnswer, error) {
	var body struct {
		Recipient struct {
			UserID string `json:"user_id"`
		} `json:"recipient"`
		Message struct {
			Text string `json:"text"`
		} `json:"message"`
	}
	body.Recipient.UserID, body.Message.Text = user, text
	raw, _ := json.Marshal(body)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, z.cfg.OpenAPIBase+"/v3.0/oa/message/cs", bytes.NewReader(raw))
	if err != nil {
		return apiAnswer{}, &channel.SendError{Kind: channel.Permanent, Err: err}
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("access_token", token)
	var ans apiAnswer
	return ans, z.call(req, &ans)
}

// call does a request to Zalo and decodes its JSON answer. HTTP errors
// are read here: 429 waits, 5xx and a dropped connection retry, another
// status is a request Zalo will never take.
func (z *Zalo) call(req *http.Request, into any) error {
	res, err := z.client.Do(req)
	if err != nil {
		return &channel.SendError{Kind: channel.Retry, Err: fmt.Errorf("zalo %s: %w", req.URL.Path, err)}
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(res.Body, 1<<20))
	switch {
	case err != nil:
		return &channel.SendError{Kind: channel.Retry, Err: fmt.Errorf("zalo %s: %w", req.URL.Path, err)}
	case res.StatusCode == http.StatusTooManyRequests:
		return &channel.SendError{Kind: channel.Retry, Wait: rateWait, Err: fmt.Errorf("zalo %s: %s", req.URL.Path, res.Status)}
	case res.StatusCode >= 500:
		return &channel.SendError{Kind: channel.Retry, Err: fmt.Errorf("zalo %s: %s", req.URL.Path, res.Status)}
	case res.StatusCode != http.StatusOK:
		return &channel.SendError{Kind: channel.Permanent, Err: fmt.Errorf("zalo %s: %s", req.URL.Path, res.Status)}
	}
	if err := json.Unmarshal(raw, into); err != nil {
		return &channel.SendError{Kind: channel.Retry, Err: fmt.Errorf("zalo %s: not JSON: %w", req.URL.Path, err)}
	}
	return nil
}

// errWindowClosed is the reason a send to someone outside Zalo's
// interaction window fails: Zalo takes consultation messages only to
// users who wrote to the OA recently.
var errWindowClosed = errors.New("zalo: the user is out of the OA's reach (their interaction window is closed, or they left the OA)")

// classify reads Zalo's answer: 0 is sent, a closed window makes the
// person unreachable here (a member's notice goes to their phone), a rate error waits, a token still refused after a
// refresh retries later.
func classify(ans apiAnswer) error {
	err := fmt.Errorf("zalo error %d: %s", ans.Error, ans.Message)
	switch ans.Error {
	case 0:
		return nil
	case errNoInteract, errNoInteract2, errNotFollower, errInactive:
		return &channel.SendError{Kind: channel.Unreachable, Err: fmt.Errorf("%w: %v", errWindowClosed, err)}
	case errRateLimit:
		return &channel.SendError{Kind: channel.Retry, Wait: rateWait, Err: err}
	case errQuota:
		return &channel.SendError{Kind: channel.Retry, Wait: quotaWait, Err: err}
	case errToken, errTokenExpired:
		return &channel.SendError{Kind: channel.Retry, Err: err}
	}
	return &channel.SendError{Kind: channel.Permanent, Err: err}
}
