package enum

import (
	"fmt"
	"strconv"
	"strings"
)

// Name is v's spelling in names, or a marker for a value set from Go
// outside the table (a Validate reports it).
func Name[E ~uint8](names []string, v E) string {
	if int(v) < len(names) {
		return names[v]
	}
	return fmt.Sprintf("invalid(%d)", uint8(v))
}

// Parse sets *v to the index of text in names; the error lists every
// allowed spelling (a caller prefixes the key or line).
func Parse[E ~uint8](names []string, text []byte, v *E) error {
	for i, n := range names {
		if n == string(text) {
			*v = E(i)
			return nil
		}
	}
	return fmt.Errorf("%q: must be %s", text, Allowed(names))
}

// Allowed is `"a", "b" or "c"`.
func Allowed(names []string) string {
	q := make([]string, len(names))
	for i, a := range names {
		q[i] = strconv.Quote(a)
	}
	if len(q) == 1 {
		return q[0]
	}
	return strings.Join(q[:len(q)-1], ", ") + " or " + q[len(q)-1]
}
