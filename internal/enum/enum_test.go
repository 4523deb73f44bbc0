package enum

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type mode uint8

func TestParseNameAllowed(t *testing.T) {
	names := []string{"on", "off", "auto"}
	var m mode
	require.NoError(t, Parse(names, []byte("auto"), &m))
	assert.Equal(t, mode(2), m)
	assert.Equal(t, "auto", Name(names, m))
	assert.Equal(t, "invalid(7)", Name(names, mode(7)))
	err := Parse(names, []byte("maybe"), &m)
	assert.EqualError(t, err, `"maybe": must be "on", "off" or "auto"`)
	assert.Equal(t, mode(2), m, "a failed parse leaves the value")
	assert.Equal(t, `"only"`, Allowed([]string{"only"}))
	assert.Equal(t, `"a" or "b"`, Allowed([]string{"a", "b"}))
}
