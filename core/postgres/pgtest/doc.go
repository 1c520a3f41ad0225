// Package pgtest gives each test a fresh, fully migrated database of its
// own.
//
// The first call in a test binary picks a server: the one DATABASE_URL names
// (its user needs CREATEDB), or else a throwaway cluster started from the
// system's Postgres binaries in a temporary directory: under /dev/shm when
// that is a roomy tmpfs and TMPDIR is unset, since a database per test is
// file-system heavy, otherwise under os.TempDir(). It then creates a
// template database, tracegate_tmpl_<random>, and migrates it once; every
// test database is a cheap copy of that template, dropped when its test
// ends.
//
// Packages should call Main from TestMain so the cluster is stopped, its
// directory removed and, on an external server, the template dropped. A
// test binary that does not, or that dies, still loses its cluster (the
// server gets a parent-death signal and a watcher process removes the
// directory), but leaves its template behind on an external server. Such
// leftovers are named tracegate_tmpl_* and are harmless to drop at any time
// no test binary is running.
package pgtest
