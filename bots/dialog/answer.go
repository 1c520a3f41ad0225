package dialog

import (
	"context"
	"strconv"
	"strings"

	"tracegate/core"
)

// answer takes a message as the answer to the pending question and
// carries the command on. A wrong answer is said so and the question asked
// again.
func (c *conv) answer(ctx context.Context, p *pending) error {
	text := strings.TrimSpace(c.msg.Text)
	cmd := p.Cmd
	ok := true
	switch p.Ask {
	case askLot:
		cmd.Lot, ok = choose(p, text, matchLot)
	case askStep:
		var step string
		step, ok = choose(p, text, matchStepAnswer)
		cmd.Step = core.Step(step)
	case askProduct:
		cmd.Product, ok = choose(p, text, matchProduct)
	case askRange:
		cmd.Range, cmd.RangeText = nil, ""
		setRange(&cmd, text)
	case askCode:
		cmd.Code = text
		if code, pin, ok := splitPIN(text); ok {
			cmd.Code, cmd.PIN = code, pin
		}
	case askText:
		cmd.Text = text
	case askArgs:
		cmd = reparse(cmd, text)
	case askDetails:
		if !skipWords[keyOf(text)] {
			cmd.Quantity, cmd.QuantityText, cmd.Note = quantityAndNote(text, tokenize(text))
		}
	}
	if !ok {
		c.warn(T(c.lang, msgBadChoice, map[string]any{"Input": text}))
	}
	if err := c.clearPending(ctx); err != nil {
		return err
	}
	return c.carryOn(ctx, cmd, p)
}

// carryOn continues a command after an answer.
func (c *conv) carryOn(ctx context.Context, cmd Command, p *pending) error {
	if command, ok := commands[cmd.Intent]; ok {
		return command.Run(c, ctx, cmd, p)
	}
	return c.run(ctx, cmd)
}

// reparse reads an answer as the rest of the command after its lot, by the
// command's own parser.
func reparse(cmd Command, text string) Command {
	parse := commands[cmd.Intent].Parse
	if parse == nil {
		return cmd
	}
	full := strings.TrimSpace(cmd.Lot + " " + text)
	next := Command{Intent: cmd.Intent, Keyword: cmd.Keyword, Photos: cmd.Photos, Album: cmd.Album}
	parse(&next, full, tokenize(full), 0)
	return next
}

// choose reads an answer to a menu: its number, or the value itself.
func choose(p *pending, text string, match func(string) (string, bool)) (string, bool) {
	if n, err := strconv.Atoi(text); err == nil && n >= 1 && n <= len(p.Choices) {
		return p.Choices[n-1], true
	}
	return match(text)
}

func matchLot(text string) (string, bool) {
	code, err := core.ParseLotCode(text)
	return code, err == nil
}

func matchStepAnswer(text string) (string, bool) {
	key := joinKeys(tokenize(text))
	if step, ok := stepByKeyword(key); ok {
		return string(step), true
	}
	return "", false
}

func matchProduct(text string) (string, bool) {
	code := core.NormalizeProductCode(text)
	return code, code != ""
}
