// Command tracegate is the traceability gateway: one binary that serves
// the channels and the admin API (serve), migrates (migrate), keeps the
// web console's accounts (user) and runs a self-contained demo on a private
// Postgres (dev).
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
)

const usage = `tracegate: a traceability gateway for OCOP producers

Usage:
  tracegate serve            migrate, then serve HTTP until SIGTERM
  tracegate dev [--dir DIR]  private Postgres and demo data, no accounts needed
  tracegate migrate          apply migrations and exit
  tracegate chat --as PHONE  talk to the dialog as that phone, one message a line
  tracegate user add --role agency|facility [--facility ID] --login NAME
                             a web console account; the password is stdin's
                             first line, or generated and printed once
  tracegate user passwd --login NAME
                             a new password, the same way; ends its sessions
  tracegate user disable --login NAME
                             stop a login and end its sessions
  tracegate user list        every console account
  tracegate soak [--processes N] [--messages M] [--rate R] [--kill]
                             N gateways on a throwaway database against a fake
                             Twilio: a burst of lookups, a table of how it went
  tracegate bench [--scales 1e5,1e6,1e7] [--duration D] [--clients N]
                             the speed suite on a throwaway database: each
                             figure beside the bare Postgres work under it

Configuration is by environment variables; see README.md.
`

// errUsage marks a command line that was not understood.
var errUsage = errors.New("usage")

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, log)
	if errors.Is(err, errUsage) {
		fmt.Fprint(os.Stderr, usage)
		os.Exit(2)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "tracegate:", err)
		os.Exit(1)
	}
}

// run is main without the process: tests call it with their own
// environment and output.
func run(ctx context.Context, args []string, getenv func(string) string, in io.Reader, out io.Writer, log *slog.Logger) error {
	if len(args) == 0 {
		return errUsage
	}
	cfg, err := loadConfig(getenv)
	if err != nil {
		return err
	}
	switch args[0] {
	case "serve":
		return serve(ctx, cfg, log)
	case "dev":
		return dev(ctx, cfg, args[1:], out, log)
	case "migrate":
		return migrate(ctx, cfg, out)
	case "chat":
		return chat(ctx, cfg, args[1:], in, out, log)
	case "user":
		return user(ctx, cfg, args[1:], getenv, in, out, log)
	case "soak":
		return soak(ctx, args[1:], out)
	case "bench":
		return bench(ctx, args[1:], out)
	case "help", "-h", "--help":
		fmt.Fprint(out, usage)
		return nil
	}
	return fmt.Errorf("unknown command %q: %w", args[0], errUsage)
}
