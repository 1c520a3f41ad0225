package postgres

import (
	"context"
	"regexp"
	"strings"

	"github.com/jackc/pgx/v5"

	"tracegate/core"
)

// linkFacility finds the facility a farmer names as a supplier or buyer,
// other than their own: by its phone or a member's, else by its name
// without accents or case. A name that fits two facilities links neither.
func linkFacility(ctx context.Context, tx pgx.Tx, named string, own int64) (*int64, error) {
	named = strings.TrimSpace(named)
	if named == "" {
		return nil, nil
	}
	if phone, err := core.NormalizePhone(named); err == nil {
		return oneFacility(ctx, tx, `
			SELECT id FROM facilities WHERE phone = $1 AND id <> $2
			UNION SELECT m.facility_id FROM member_urns u JOIN members m ON m.id = u.member_id
			WHERE u.urn = 'tel:' || $1 AND m.facility_id <> $2`, phone, own)
	}
	return oneFacility(ctx, tx, `
		SELECT id FROM facilities
		WHERE upper(regexp_replace(btrim(translate(name, $3, $4)), '\s+', ' ', 'g')) = $1 AND id <> $2`,
		nameKey(named), own, accented, unaccented)
}

func oneFacility(ctx context.Context, tx pgx.Tx, sql string, args ...any) (*int64, error) {
	rows, err := tx.Query(ctx, sql+` LIMIT 2`, args...)
	if err != nil {
		return nil, err
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil || len(ids) != 1 {
		return nil, err
	}
	return &ids[0], nil
}

var spaces = regexp.MustCompile(`\s+`)

// nameKey is a name as the database's translate gives it: no accents,
// upper case, single spaces.
func nameKey(name string) string {
	return strings.ToUpper(spaces.ReplaceAllString(strings.TrimSpace(core.Fold(name)), " "))
}

// accented and unaccented are translate's two alphabets: every Vietnamese
// letter with a mark, and the same letter without, as core.Fold reads it.
var accented, unaccented = foldAlphabets(
	"àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ" +
		"ÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴĐ")

func foldAlphabets(letters string) (string, string) {
	var to strings.Builder
	for _, r := range letters {
		to.WriteString(core.Fold(string(r)))
	}
	return letters, to.String()
}
