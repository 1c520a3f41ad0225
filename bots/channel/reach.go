package channel

import (
	"context"

	"tracegate/core"
)

// reach picks, among the channels whose Reach covers to, the one the
// person last wrote through, else the default, else any; a fallback
// only when nothing else covers it. "" when none does.
func (p *Pipeline) reach(ctx context.Context, s core.Services, to core.URN) (string, error) {
	var candidates []string
	var preferred, fallback string
	for _, name := range p.channelNames() {
		r, ok := p.cfg.Channels[name].(Reacher)
		if !ok {
			continue
		}
		reach := r.Reach()
		if !reach.reaches(to.Scheme()) {
			continue
		}
		switch {
		case reach.Fallback:
			fallback = name
		case reach.Default || preferred == "":
			preferred = name
			candidates = append(candidates, name)
		default:
			candidates = append(candidates, name)
		}
	}
	if len(candidates) > 1 {
		// Two providers of one scheme (Twilio and Kannel): answer by the
		// one the person uses.
		last, err := s.Messages.LastInboundChannel(ctx, to, candidates)
		if err != nil || last != "" {
			return last, err
		}
	}
	if preferred != "" {
		return preferred, nil
	}
	return fallback, nil
}
