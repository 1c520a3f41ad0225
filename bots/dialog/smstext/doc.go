// Package smstext counts and fits replies sent as SMS to basic phones.
//
// Published Go packages count UCS-2 messages by rune rather than by UTF-16
// code unit and ignore that an extension character or a surrogate pair can
// not be split across the parts of a concatenated message, so they
// under-count emoji and mis-count texts near a part boundary. An SMS part
// costs money and a wrong count silently splits a reply, so this package
// counts exactly: see [Count].
//
// Replies to Vietnamese users are accented, which forces UCS-2 and cuts a
// part from 160 to 70 characters. [Plain] rewrites a text for GSM-7, and
// [Fit] applies the SMS_ACCENTS policy ([Policy]) and a part budget to the
// lines of a reply.
package smstext
