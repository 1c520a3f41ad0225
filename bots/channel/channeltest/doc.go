// Package channeltest is the test world every channel adapter's tests
// share, in the spirit of courier's handler tests: a database of its own
// with the seeded honey cooperative, a pipeline over the channels a test
// gives it, a loopback gateway serving the adapter's handler, a table
// runner for provider requests, and readers that return what the
// gateway stored as domain values.
//
// Tests read state only through the World's readers (core services, or
// pgtest where no service lists what a test must see), so that the
// schema is known in one place. It is a normal package so that every
// adapter's tests can import it; nothing but tests does.
package channeltest
