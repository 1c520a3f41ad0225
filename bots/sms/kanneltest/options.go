package kanneltest

import (
	"fmt"
	"io"
	"strings"
)

// Options shape the Kannel that Start runs.
type Options struct {
	// GetURL is the sms-service get-url, with Kannel's escape codes (see
	// the package doc); the test builds it from its own server's address.
	// Empty: inbound SMS are accepted and dropped.
	GetURL string
	// Username and Password are the sendsms-user credentials; empty means
	// DefaultUsername and DefaultPassword.
	Username, Password string
	// Log receives bearerbox, smsbox and fakesmsc output, each line
	// prefixed with the program's name; nil discards it.
	Log io.Writer
	// RawUCS2 turns smsbox's mo-recode off, so that UCS-2 SMS reach GetURL
	// as coding=2, charset=UTF-16BE bytes, as with a Kannel left at its
	// defaults. Off (the default), smsbox recodes them to UTF-8 first.
	RawUCS2 bool
}

// The sendsms-user credentials when Options leave them empty.
const (
	DefaultUsername = "kanneltest"
	DefaultPassword = "kanneltest"
)

func (o Options) withDefaults() Options {
	if o.Username == "" {
		o.Username = DefaultUsername
	}
	if o.Password == "" {
		o.Password = DefaultPassword
	}
	if o.Log == nil {
		o.Log = io.Discard
	}
	return o
}

// check refuses values that kannel.conf cannot hold: a quoted value ends
// at a double quote, a group at an empty line, and Kannel reads a
// backslash as an escape.
func (o Options) check() error {
	for name, v := range map[string]string{"GetURL": o.GetURL, "Username": o.Username, "Password": o.Password} {
		if strings.ContainsAny(v, "\"\\\r\n") {
			return fmt.Errorf("kanneltest: Options.%s %q has a quote, backslash or line break, which kannel.conf cannot hold", name, v)
		}
	}
	return nil
}
