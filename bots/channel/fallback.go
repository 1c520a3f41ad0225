package channel

import (
	"context"
	"fmt"
	"log/slog"
	"strings"

	"github.com/jackc/pgx/v5"

	"tracegate/bots/dialog"
	"tracegate/core"
)

// fallback ends a notice its channel cannot deliver to this person for
// now (Zalo takes none to someone who has not written lately) and, when
// the person is a member with a phone, queues it again to the phone, in
// one transaction: the notice is failed here and queued there, or
// neither. A consumer has no other address, so theirs just fails.
func (sn *sender) fallback(ctx context.Context, m *core.Turn, se *SendError, log *slog.Logger) {
	p := sn.p
	var to core.URN
	var via string
	err := sn.persist(ctx, log, "fall back", func(ctx context.Context) error {
		return p.cfg.Store.InTx(ctx, func(_ pgx.Tx, s core.Services) error {
			reason := se.Error()
			member, err := s.Members.FindMemberByURN(ctx, m.URN)
			if err != nil && core.ErrorCodeOf(err) != core.ENOTFOUND {
				return err
			}
			if to = phoneOf(member); to != "" {
				if via, err = p.route(ctx, s, to); err != nil {
					return err
				}
			}
			if ch, ok := p.cfg.Channels[via]; ok {
				r := plainReply(member.Lang, m.Text)
				if err := p.enqueue(ctx, s, ch, to, r, core.KindNotice, nil, m.Priority == core.PriorityBulk); err != nil {
					return err
				}
				reason = fmt.Sprintf("%s; sent to %s by %s instead", reason, to, via)
			} else {
				to = ""
			}
			return s.Messages.MarkFailed(ctx, m.ID, reason)
		})
	})
	if err != nil {
		return
	}
	messagesOut.WithLabelValues(m.Channel, core.StatusFailed).Inc()
	if to == "" {
		log.Warn("send failed for good, and the person has no phone to fall back to", slog.Any("err", se.Err))
		return
	}
	log.Info("unreachable here: the notice goes to the member's phone", slog.String("to", string(to)),
		slog.String("via", via), slog.Any("err", se.Err))
	p.kick(via)
}

// phoneOf is a member's phone, the one they were reached by last first;
// "" for none or no member.
func phoneOf(member *core.Member) core.URN {
	if member == nil {
		return ""
	}
	for _, urn := range member.URNs {
		if urn.Scheme() == "tel" {
			return urn
		}
	}
	return ""
}

// plainReply is a stored text as a reply again, one line a line, for
// another channel to render: the text was written for the person in
// their language already.
func plainReply(lang core.Lang, text string) dialog.Reply {
	r := dialog.Reply{Lang: lang}
	for _, line := range strings.Split(text, "\n") {
		r.Lines = append(r.Lines, dialog.Line{Text: line})
	}
	return r
}
