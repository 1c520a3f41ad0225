// Package kanneltest runs a real Kannel SMS gateway on loopback for
// integration tests: bearerbox and smsbox from Debian's kannel package,
// with fakesmsc from kannel-extras as the mobile network.
//
//	if ok, why := kanneltest.Available(); !ok {
//		t.Skip(why)
//	}
//	k := kanneltest.Start(t, kanneltest.Options{
//		GetURL: srv.URL + "/sms/kannel?secret=S&sender=%p&receiver=%P&text=%b&id=%I&coding=%c&charset=%C",
//	})
//	k.Inject("+84912345678", "8079", "Mật ong rất thơm") // a phone sends an SMS
//	// ... the gateway answers through k.SendsmsURL() ...
//	got, err := k.WaitReceived(1, 5*time.Second) // what the phone got
//
// Start takes about 0.1-0.25 s and stopping about 1 s (bearerbox's
// shutdown). Kannel runs as whoever runs the test, root included: it needs
// no privilege, since every port is a free one above 1023 bound to
// 127.0.0.1 and every file (kannel.conf, logs) is in t.TempDir(). There
// is no message store and DLRs are kept in memory. A failed test logs the
// last lines of the programs' logs.
//
// # What the get-url receives (Kannel 1.4.5, as tested)
//
// smsbox calls GetURL with GET, no body, User-Agent Kannel/1.4.5; it
// ignores the answer's body (max-messages = 0). It does not retry a failed
// call, and with max-messages = 0 sends the phone nothing about it either:
// an SMS whose get-url call fails is gone. Escape codes:
//
//	%p  sender, as the network gave it: "+84912345678" (sent as %2B...)
//	%P  receiver: "8079"
//	%b  the text, exactly, URL-encoded: use this one
//	%a  the text's words joined by single spaces: runs of blanks, line
//	    breaks and leading or trailing blanks are lost; on UCS-2 bytes it
//	    also splits inside characters (see below)
//	%I  the SMS's id, a UUID: "be54e3e1-af85-410e-b3aa-1eb7c90e3503"
//	%t  when bearerbox got it, UTC, "2026-11-28 14:38:32" (with seconds,
//	    unlike the user guide's example); %T the same in Unix seconds
//	%c  coding: 0 for text, 2 for UCS-2 not recoded
//	%C  charset: "UTF-8" with coding 0 (not "GSM" as the user guide says),
//	    "UTF-16BE" with coding 2
//	%i  smsc-id, "fake"; %n the sms-service's name, "default"
//
// A text in the GSM alphabet arrives as %c=0, %C=UTF-8, %b its UTF-8.
//
// A Vietnamese text arrives from the phone as UCS-2. smsbox's mo-recode,
// on here unless Options.RawUCS2, turns it into UTF-8 before the get-url
// is filled in, so it too arrives as %c=0, %C=UTF-8, %b its UTF-8: the
// coding a handler sees does not tell which the phone used. With
// mo-recode off, as in a stock Kannel, it arrives as %c=2, %C=UTF-16BE and
// %b the UTF-16BE bytes (decode them as such); %a then breaks the text
// wherever a byte of a UTF-16 unit is 0x20 or 0x09-0x0D, as in “ (U+201C)
// or a line break, and drops such bytes at the ends, leaving an odd count.
//
// # Sending through sendsms
//
// GET SendsmsURL()?username=&password=&from=&to=&text=&coding=2&charset=UTF-8
// answers 202 "0: Accepted for delivery" once bearerbox has the SMS ("3:
// Queued for later delivery" when no SMSC is connected, 403 for bad
// credentials). Notes:
//   - coding=2 is needed for Vietnamese: without it Kannel sends 7-bit
//     GSM, and every character GSM lacks becomes '?' ("M?t ong r?t th?m");
//   - with coding=2, charset=UTF-8 is needed: its default then is UTF-16BE;
//   - a '+' in `to` must be %2B (url.Values does it): a bare '+' is a
//     space, which separates several receivers;
//   - a long text is sent as concatenated parts (67 UCS-2 or 153 GSM
//     characters each) only because this sendsms-user has max-messages =
//     10 and concatenation = true: Kannel's default max-messages is 1.
//
// # Delivery reports
//
// With dlr-mask=31 and a dlr-url, bearerbox calls the dlr-url twice as soon
// as it hands the SMS to fakesmsc, order not guaranteed:
//
//	%d  8 (delivered to the SMSC), then 1 (delivered to the phone);
//	    fakesmsc never fails, so 2, 4 and 16 do not come
//	%A  "ACK/" for 8, empty for 1 (%a and %b give the same)
//	%F  empty for 8, a UUID for 1 (the fake SMSC's message id)
//	%p  the phone the SMS went to ("+84912345678"), %P its sender ("8079")
//	%i  "fake"; %n the sendsms-user's name, its username
//	%I  a new UUID for each report, unrelated to anything sendsms returned
//	%t, %T as above
//
// sendsms returns no id, so the only way to tie a report to its SMS is an
// id of the gateway's own in the dlr-url: dlr-url=...?msg=ID&type=%d.
//
// # fakesmsc
//
// fakesmsc runs in interactive mode: Inject writes it one line per SMS,
// "sender receiver text TEXT" for the GSM alphabet (Kannel keeps 7-bit
// text as UTF-8, so it goes as it is), otherwise "sender receiver ucs2
// URL-ENCODED-UTF-16BE"; InjectLine takes any line of its format. It
// reads its input 255 bytes at a time, so a UCS-2 text can have about 45
// characters, a GSM one about 230.
//
// Received decodes what bearerbox writes to fakesmsc: 7-bit text raw
// (UTF-8), UCS-2 and 8-bit URL-encoded, and each part of a long SMS as
// "udh UDH data DATA" without its coding; the parts are joined and told
// apart as text or UCS-2 by their bytes. A 7-bit text with a line break
// reaches fakesmsc cut at the break, one line each: the lines are joined
// again, which is why Received holds back a text for 100 ms.
//
// fakesmsc reads bearerbox only once a second when idle, and reads its
// input through stdio, where a second line written together with the first
// stays unseen until more input comes: Inject writes one line at a time
// and waits until fakesmsc reports it sent, and Inject and WaitReceived
// write empty lines, which fakesmsc skips, to wake it. fakesmsc also
// crashes with a double free whenever it leaves its loop, at the end of
// its input or of bearerbox's connection; Start's cleanup stops it with a
// signal like the others.
package kanneltest
