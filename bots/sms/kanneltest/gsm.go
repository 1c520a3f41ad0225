package kanneltest

// gsmRunes are the characters of the GSM 03.38 alphabet, its basic table
// and its extension table: what a phone sends as 7-bit text. A text with
// any other character goes out as UCS-2.
var gsmRunes = func() map[rune]bool {
	const basic = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
		"¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
	const extension = "\f^{}\\[~]|€"
	m := map[rune]bool{}
	for _, r := range basic + extension {
		m[r] = true
	}
	return m
}()

// isGSM reports whether every character of s is in the GSM alphabet.
func isGSM(s string) bool {
	for _, r := range s {
		if !gsmRunes[r] {
			return false
		}
	}
	return true
}
