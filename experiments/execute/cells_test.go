package execute

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A cell record with a field this binary does not know (one an older or
// newer binary wrote) is refused, not decoded with that count as zero.
func TestDecodeCellRefusesUnknownFields(t *testing.T) {
	rec := []byte(`{"Queries": 1000}`)
	_, err := decodeCell(rec)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "Queries")
	// the same record without the foreign field is not refused for its fields
	_, err = decodeCell(bytes.ReplaceAll(rec, []byte(`"Queries": 1000`), nil))
	if err != nil {
		assert.NotContains(t, err.Error(), "unknown field")
	}
}
