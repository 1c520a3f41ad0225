package kanneltest

import (
	"fmt"
	"net"
	"path/filepath"
	"strings"
)

// adminPassword guards bearerbox's admin port, which only listens on
// loopback; Start reads status.xml with it.
const adminPassword = "kanneltest-admin"

// smscID names the fake SMSC; the get-url's %i gives it.
const smscID = "fake"

// ports are the loopback TCP ports of one Kannel.
type ports struct {
	admin   int // bearerbox's admin HTTP (status.xml)
	smsbox  int // bearerbox's port for smsbox
	fake    int // bearerbox's fake SMSC, where fakesmsc connects
	sendsms int // smsbox's sendsms HTTP
}

// freePorts asks the kernel for four free loopback ports, holding them all
// until each is known so that none is handed out twice. Another process
// could still take one before Kannel binds it: Start retries then.
func freePorts() (ports, error) {
	var ls []net.Listener
	defer func() {
		for _, l := range ls {
			l.Close()
		}
	}()
	var nums [4]int
	for i := range nums {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return ports{}, fmt.Errorf("kanneltest: free port: %w", err)
		}
		ls = append(ls, l)
		nums[i] = l.Addr().(*net.TCPAddr).Port
	}
	return ports{admin: nums[0], smsbox: nums[1], fake: nums[2], sendsms: nums[3]}, nil
}

// config renders kannel.conf. Everything binds to 127.0.0.1 and writes
// under dir; there is no message store (store-type unset), so nothing
// outlives the test, and DLRs are kept in memory.
func config(dir string, p ports, o Options) string {
	var b strings.Builder
	line := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	path := func(name string) string { return filepath.Join(dir, name) }

	line("# Written by tracegate/bots/sms/kanneltest for one test.")
	line("group = core")
	line("admin-interface = \"127.0.0.1\"")
	line("admin-port = %d", p.admin)
	line("admin-password = \"%s\"", adminPassword)
	line("admin-deny-ip = \"*.*.*.*\"")
	line("admin-allow-ip = \"127.0.0.1\"")
	line("smsbox-interface = \"127.0.0.1\"")
	line("smsbox-port = %d", p.smsbox)
	line("box-deny-ip = \"*.*.*.*\"")
	line("box-allow-ip = \"127.0.0.1\"")
	line("log-file = \"%s\"", path("bearerbox.log"))
	line("log-level = 0")
	line("access-log = \"%s\"", path("bearerbox-access.log"))
	line("dlr-storage = internal")
	line("")
	line("group = smsc")
	line("smsc = fake")
	line("smsc-id = %s", smscID)
	line("our-host = \"127.0.0.1\"")
	line("port = %d", p.fake)
	line("connect-allow-ip = \"127.0.0.1\"")
	line("")
	line("group = smsbox")
	line("bearerbox-host = \"127.0.0.1\"")
	line("bearerbox-port = %d", p.smsbox)
	line("sendsms-interface = \"127.0.0.1\"")
	line("sendsms-port = %d", p.sendsms)
	// mo-recode turns a UCS-2 SMS into UTF-8 text with coding=0 before
	// the get-url is filled in; without it the get-url gets UTF-16BE bytes.
	line("mo-recode = %t", !o.RawUCS2)
	line("log-file = \"%s\"", path("smsbox.log"))
	line("log-level = 0")
	line("access-log = \"%s\"", path("smsbox-access.log"))
	line("")
	line("group = sendsms-user")
	line("username = \"%s\"", o.Username)
	line("password = \"%s\"", o.Password)
	line("user-deny-ip = \"*.*.*.*\"")
	line("user-allow-ip = \"127.0.0.1\"")
	// Long texts leave as concatenated parts instead of being cut at one SMS.
	line("max-messages = 10")
	line("concatenation = true")
	line("")
	line("group = sms-service")
	line("keyword = default")
	line("catch-all = true")
	// No reply from the service itself: the gateway answers later through
	// sendsms. With 0, Kannel sends nothing even when the get-url fails.
	line("max-messages = 0")
	if o.GetURL != "" {
		line("get-url = \"%s\"", o.GetURL)
	} else {
		line("text = \"\"")
	}
	return b.String()
}
