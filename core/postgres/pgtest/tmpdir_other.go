//go:build !linux

package pgtest

import "os"

// clusterParent is the temporary directory; only Linux is known to have a
// tmpfs at /dev/shm.
func clusterParent() string { return os.TempDir() }
