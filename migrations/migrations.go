// Package migrations holds the numbered SQL migrations, embedded so the
// binary can migrate any database it is pointed at.
package migrations

import "embed"

// FS holds every *.sql migration in this folder.
//
//go:embed *.sql
var FS embed.FS
