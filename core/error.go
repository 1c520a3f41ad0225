package core

import (
	"errors"
	"fmt"
)

// ErrorCode says what kind of failure an error is, so an adapter can answer
// it (a 4xx, a localised reply) without parsing messages.
type ErrorCode string

const (
	EINVALID   ErrorCode = "invalid"   // the request breaks a rule; nothing changed
	ENOTFOUND  ErrorCode = "not_found" // what it names does not exist for this caller
	ECONFLICT  ErrorCode = "conflict"  // it clashes with what exists (a duplicate)
	EFORBIDDEN ErrorCode = "forbidden" // the caller may not do this
	EINTERNAL  ErrorCode = "internal"  // our fault
)

// Error is a domain error: a code for programs and a message for operators.
// User-facing text is never taken from Message; adapters localise by Code,
// or by Reason when the code alone does not say why.
type Error struct {
	Code    ErrorCode
	Message string
	// Reason names the refusal for people (lot_closed): adapters say the
	// message of that id in the person's language, with Data.
	Reason string
	Data   map[string]any
}

func (e *Error) Error() string { return e.Message }

// Errorf returns a domain error with a formatted message.
func Errorf(code ErrorCode, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Refuse returns a domain error with a reason for people.
func Refuse(code ErrorCode, reason string, data map[string]any, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...), Reason: reason, Data: data}
}

// ErrorCodeOf returns the code of the first domain error in err's chain,
// EINTERNAL for any other error and "" for nil.
func ErrorCodeOf(err error) ErrorCode {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the message of the first domain error in err's
// chain, or a generic one that leaks nothing internal.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "internal error"
}
