package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"

	"tracegate/bots/channel"
	"tracegate/bots/console"
	"tracegate/bots/dialog"
	"tracegate/core"
	"tracegate/core/postgres"
)

// chat talks to the gateway as a phone number, one message a line: the
// console channel through the same pipeline as SMS, on the same database as
// serve (DATABASE_URL), or on the dev database when it is unset.
func chat(ctx context.Context, cfg config, args []string, in io.Reader, out io.Writer, log *slog.Logger) error {
	flags := flag.NewFlagSet("chat", flag.ContinueOnError)
	flags.SetOutput(out)
	as := flags.String("as", "", "the phone number to write as, e.g. 0912345678")
	dir := flags.String("dir", ".tracegate", "where the dev Postgres cluster lives")
	if err := flags.Parse(args); err != nil || *as == "" {
		return fmt.Errorf("chat needs --as <phone>: %w", errUsage)
	}
	urn, err := core.TelURN(*as)
	if err != nil {
		return fmt.Errorf("--as %s: %s", *as, core.ErrorMessage(err))
	}
	db, _, stop, err := openDevDB(ctx, &cfg, *dir, out, log)
	if err != nil {
		return err
	}
	defer stop()
	db.Suspicion = cfg.Suspicion
	// Only warnings: the conversation is the output.
	log = slog.New(warnOnly{log.Handler()})
	ch := &console.Channel{Policy: cfg.SMSAccents, Out: out, Self: urn}
	pipeline, err := channel.New(channel.Config{
		Store:    db,
		Services: postgres.NewServices(db),
		Pool:     db.Pool,
		Dialog:   dialog.Dialog{BaseURL: orDefault(cfg.PublicBaseURL, "http://localhost:8080"), DefaultLang: cfg.DefaultLang},
		// Notices to anyone print here too: the console reaches every URN.
		Channels: channel.ByName(ch),
		PollOnly: db.TransactionPooled(),
		Log:      log,
	})
	if err != nil {
		return err
	}
	if err := pipeline.Start(ctx); err != nil {
		return err
	}
	defer pipeline.Stop(context.WithoutCancel(ctx))
	fmt.Fprintf(out, "Writing as %s, by SMS rules. One message a line; Ctrl-D ends.\n", urn.Path())
	return (&console.Console{Pipeline: pipeline, Channel: ch, URN: urn, In: in, Echo: !isTerminal(in)}).Run(ctx)
}

// isTerminal reports whether r is a terminal a person types at.
func isTerminal(r io.Reader) bool {
	f, ok := r.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// warnOnly passes on warnings and errors only.
type warnOnly struct{ slog.Handler }

func (h warnOnly) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= slog.LevelWarn && h.Handler.Enabled(ctx, l)
}

func (h warnOnly) WithAttrs(attrs []slog.Attr) slog.Handler {
	return warnOnly{h.Handler.WithAttrs(attrs)}
}

func (h warnOnly) WithGroup(name string) slog.Handler { return warnOnly{h.Handler.WithGroup(name)} }
