package pgtest

import (
	"os"
	"testing"
)

// Main runs the tests, then stops the test cluster, removes its directory
// and drops the template on an external server. Call it from TestMain:
//
//	func TestMain(m *testing.M) { pgtest.Main(m) }
func Main(m *testing.M) {
	code := m.Run()
	// Marks setup done if no test used pgtest, so nothing starts now.
	once.Do(func() {})
	if theServer != nil {
		theServer.close()
	}
	os.Exit(code)
}
