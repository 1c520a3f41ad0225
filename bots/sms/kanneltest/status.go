package kanneltest

import (
	"fmt"
	"io"
	"net/http"
	"time"
)

// probe is the client for Start's polling: short timeouts, no keep-alive,
// so that no connection outlives Kannel.
var probe = &http.Client{
	Timeout:   2 * time.Second,
	Transport: &http.Transport{DisableKeepAlives: true},
}

// status fetches bearerbox's status.xml. Start reads it by substring:
// "FAKE:port" names the fake SMSC once created, "<type>smsbox</type>"
// lists a connected smsbox, and "<status>online" is the SMSC's once
// fakesmsc has connected (bearerbox's own status reads "running").
func (k *Kannel) status() (string, error) {
	url := fmt.Sprintf("http://127.0.0.1:%d/status.xml?password=%s", k.ports.admin, adminPassword)
	resp, err := probe.Get(url)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return "", err
	}
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("status.xml: %s", resp.Status)
	}
	return string(body), nil
}

// sendsmsAnswers reports whether smsbox's HTTP server is up: without
// credentials it answers 403.
func (k *Kannel) sendsmsAnswers() bool {
	resp, err := probe.Get(k.SendsmsURL())
	if err != nil {
		return false
	}
	resp.Body.Close()
	return true
}
