package dialog

import (
	"context"
	"strings"

	"tracegate/core"
)

// IntentReport is a report of a suspected fake: BAO <code> <where
// bought>, REPORT.
const IntentReport Intent = "report"

const (
	msgHelpReport         msgID = "help_report"
	msgAskReportCode      msgID = "ask_report_code"
	msgAskReportPlace     msgID = "ask_report_place"
	msgReportPlaceTooLong msgID = "report_place_too_long"
	msgReportThanks       msgID = "report_thanks"
	msgReportNotice       msgID = "report_notice"
	msgReportAgencyNotice msgID = "report_agency_notice"
	msgReportFromWeb      msgID = "report_from_web"
)

func init() {
	register(command{Intent: IntentReport, Words: []string{"BAO", "REPORT"},
		Parse:    parseReport,
		Complete: func(cmd Command) bool { return cmd.Code != "" && cmd.Text != "" },
		Run:      (*conv).report, Help: msgHelpReport, Group: helpAnyone, Rank: 95})
}

// parseReport reads BAO <code> <where bought>, or the code after the
// place. "Bao" is an everyday word too (bao nhiêu, bao bì): words after
// it that hold no code are no report, so "Bao bì đẹp" still answers a
// feedback question and "bao nhiêu tiền?" is not asked for a code.
func parseReport(cmd *Command, text string, toks []token, n int) {
	args := toks[n:]
	if len(args) == 0 {
		return
	}
	if code, k := takeCode(args); validCode(code) {
		cmd.Code, cmd.Text = code, rest(text, toks, n+k)
		return
	}
	if mistyped(args[0].key) {
		cmd.Code, cmd.Text = args[0].key, rest(text, toks, n+1)
		return
	}
	for i := 1; i < len(args); i++ {
		// After the place, only a code whose check symbol holds: a word
		// of the place is not taken for a mistyped code.
		if code, k := takeCode(args[i:]); validCode(code) {
			before := text[args[0].start:args[i].start]
			cmd.Code, cmd.Text = code, strings.TrimSpace(strings.TrimSpace(before)+" "+rest(text, toks, n+i+k))
			return
		}
	}
	cmd.Intent = IntentUnknown
}

// mistyped says whether the word after BAO is a code typed wrong: nine
// symbols in one word, a digit and a letter among them. Nine letters are
// words of the place ("chợ Tắc Vân" is CHOTACVAN) far more often than a
// code, and a number ("bao 100000 con giống") is a count.
func mistyped(word string) bool {
	symbols := core.NormalizeCodeInput(word)
	return len(symbols) == 9 && looksLikeCode(word) && strings.ContainsAny(symbols, "0123456789") &&
		strings.ContainsAny(symbols, "ABCDEFGHJKMNPQRSTVWXYZ")
}

func validCode(s string) bool {
	_, err := core.ParseCode(s)
	return err == nil
}

// report stores where a suspected fake was bought and tells the stamp's
// facility and the agency. The code is checked before the place is asked
// for, so no one types a place for a code that cannot be read.
func (c *conv) report(ctx context.Context, cmd Command, _ *pending) error {
	next := &pending{Cmd: cmd, Ask: askText}
	switch {
	case cmd.Code == "":
		return c.ask(ctx, &pending{Cmd: cmd, Ask: askCode}, T(c.lang, msgAskReportCode, nil), nil)
	case !validCode(cmd.Code):
		c.say(T(c.lang, msgVerdictMistyped, map[string]any{"Input": cmd.Code}))
		return nil
	case cmd.Text == "":
		return c.ask(ctx, next, T(c.lang, msgAskReportPlace, nil), nil)
	}
	r := &core.FakeReport{Channel: c.msg.Channel, Reporter: c.msg.URN, Place: cmd.Text}
	err := c.d.Services.Reports.Report(ctx, cmd.Code, r)
	switch core.ErrorCodeOf(err) {
	case "":
	case core.EINVALID: // the code was read above: the place is too long
		next.Cmd.Text = ""
		c.warn(T(c.lang, msgReportPlaceTooLong, nil))
		return c.ask(ctx, next, T(c.lang, msgAskReportPlace, nil), nil)
	default:
		return err
	}
	facility := ""
	if r.FacilityID != 0 {
		f, err := c.d.Services.Facilities.FindFacilityByID(ctx, r.FacilityID)
		if err != nil {
			return err
		}
		facility = f.Name
	}
	c.say(T(c.lang, msgReportThanks, map[string]any{"Facility": facility, "Code": r.Code.Printed()}))
	return c.reportNotices(ctx, r, facility)
}

// reportNotices tell the facility's members and the agency's officers,
// each in their language, with the reporter masked: never their number.
// The place as written ends the notice, so that SMS cuts only its tail
// when it is long.
func (c *conv) reportNotices(ctx context.Context, r *core.FakeReport, facility string) error {
	lines := func(id msgID) func(core.Lang) []string {
		return func(lang core.Lang) []string {
			from := r.Masked
			if !r.Reporter.Answerable() {
				from = T(lang, msgReportFromWeb, nil)
			}
			return []string{T(lang, id, map[string]any{"Code": r.Code.Printed(), "Facility": facility,
				"Place": r.Place, "Where": r.Where(), "From": from})}
		}
	}
	told := map[core.URN]bool{r.Reporter: true} // the reporter has the reply
	tell := func(urn core.URN, fallback core.Lang, id msgID) error {
		if told[urn] {
			return nil
		}
		told[urn] = true
		return c.notify(ctx, urn, fallback, lines(id))
	}
	if r.FacilityID != 0 {
		members, err := c.d.Services.Members.FindMembers(ctx, r.FacilityID)
		if err != nil {
			return err
		}
		for _, m := range members {
			if len(m.URNs) > 0 {
				if err := tell(m.URNs[0], m.Lang, msgReportNotice); err != nil {
					return err
				}
			}
		}
	}
	for _, urn := range c.d.Agency {
		if err := tell(urn, c.d.DefaultLang, msgReportAgencyNotice); err != nil {
			return err
		}
	}
	return nil
}
