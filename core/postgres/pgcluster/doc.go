// Package pgcluster runs a private Postgres cluster from the system's
// Postgres server binaries: a persistent one for `tracegate dev` and a
// throwaway one for tests. The server is a child of the calling process and
// dies with it.
package pgcluster
