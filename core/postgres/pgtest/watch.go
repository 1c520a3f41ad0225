package pgtest

import (
	"os"
	"os/exec"
	"sync"
	"syscall"
)

// watchScript waits for the test binary to exit (its end of the pipe on
// stdin closes, however it dies), then for the server to be gone, then
// removes the directory. Bounded, so a reused PID cannot keep it forever.
const watchScript = `cat >/dev/null
i=0
while [ "$i" -lt 300 ]; do
	pid=$(head -n 1 "$1/postmaster.pid" 2>/dev/null) || break
	kill -0 "$pid" 2>/dev/null || break
	sleep 0.1
	i=$((i + 1))
done
rm -rf -- "$1"
`

// watchPipes are never written and never closed: the kernel closes them
// when this process ends. Kept in a variable because an unreachable
// *os.File is closed by its finalizer, which would set its watcher off
// early; one per watched directory, since a test may start clusters of its
// own beside the shared one.
var (
	watchMu    sync.Mutex
	watchPipes []*os.File
)

// watchDir removes dir after this process is gone, for test binaries that
// skip Main or die (a -timeout panic, a kill). Best effort: without sh the
// directory merely stays behind.
func watchDir(dir string) {
	r, w, err := os.Pipe()
	if err != nil {
		return
	}
	cmd := exec.Command("sh", "-c", watchScript, "sh", dir)
	cmd.Stdin = r
	// Own process group: a Ctrl-C aimed at the tests must not kill the
	// watcher before it has cleaned up.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	err = cmd.Start()
	r.Close()
	if err != nil {
		w.Close()
		return
	}
	watchMu.Lock()
	watchPipes = append(watchPipes, w)
	watchMu.Unlock()
	go cmd.Wait()
}
