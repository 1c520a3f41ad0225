package telegram

import (
	"fmt"
	"strings"

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
