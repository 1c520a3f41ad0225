package telegram

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"
	"tracegate/bots/channel"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// FileURL is where a stored photo (its file_id) can be downloaded. It is
// built from the configured endpoint, since tgbotapi's File.Link always
// points at api.telegram.org; it carries the token, so it is for the
// gateway's own fetching, never for a page.
func (t *Telegram) FileURL(fileID string) (string, error) {
	fileID = strings.TrimPrefix(fileID, "telegram:")
	f, err := t.bot.GetFile(tgbotapi.FileConfig{FileID: fileID})
	if err != nil {
		return "", fmt.Errorf("telegram getFile %s: %w", fileID, err)
	}
	base := strings.Replace(t.cfg.APIEndpoint, "/bot%s/%s", "/file/bot%s/%s", 1)
	return fmt.Sprintf(base, t.cfg.Token, f.FilePath), nil
}

// Photo fetches a stored photo for the web pages, which show it through
// their own endpoint so the token never reaches a browser.
func (t *Telegram) Photo(ctx context.Context, ref string) ([]byte, string, error) {
	if !t.HoldsPhoto(ref) {
		return nil, "", fmt.Errorf("photo %q is not Telegram's", ref)
	}
	u, err := t.FileURL(ref)
	if err != nil {
		return nil, "", err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, "", err
	}
	return channel.FetchPhoto(fileClient, req)
}

// fileClient fetches photos: a Bot API file server that hangs must not
// hold a page's request forever.
var fileClient = &http.Client{Timeout: 20 * time.Second}
