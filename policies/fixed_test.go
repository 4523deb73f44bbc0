package policies

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Fixed serves its one SubNet whatever the need; with admission "drop" it
// turns away exactly the queries that SubNet cannot serve within both needs.
func TestFixedServesOneSubNet(t *testing.T) {
	c := reference(t)
	row := rowOf(10, 20, 30, 40, 50, 60)
	build := func(adm string) Selector {
		s, err := (&FixedSpec{SubNet: "ref2", SelectorParams: SelectorParams{Admission: adm}}).Build(&Env{Catalog: c})
		require.NoError(t, err)
		return s
	}
	late, drop := build("serve-late"), build("drop")
	for _, n := range []Need{{MinAccuracy: 0, SLO: 100}, {MinAccuracy: 79.9, SLO: 1}, {MinAccuracy: 78.3, SLO: 30}} {
		assert.Equal(t, int32(2), late.Select(n, row))
	}
	assert.Equal(t, int32(2), drop.Select(Need{MinAccuracy: 78.3, SLO: 30}, row), "ref2 is 78.3 and 30 ns: both met at the boundary")
	assert.Equal(t, Drop, drop.Select(Need{MinAccuracy: 78.4, SLO: 100}, row))
	assert.Equal(t, Drop, drop.Select(Need{MinAccuracy: 70, SLO: 35, Waited: 6}, row))
}

func TestFixedRejectsUnknownSubNet(t *testing.T) {
	c := reference(t)
	assert.EqualError(t, (&FixedSpec{}).Validate(), `subnet: must be "most-accurate" or a catalog SubNet name, got ""`)
	top, err := (&FixedSpec{SubNet: "most-accurate"}).Build(&Env{Catalog: c})
	require.NoError(t, err)
	assert.Equal(t, int32(5), top.Select(Need{}, rowOf(1, 2, 3, 4, 5, 6)), "ref5 (79.8) is the most accurate")
	_, err = (&FixedSpec{SubNet: "ref9"}).Build(&Env{Catalog: c})
	assert.EqualError(t, err, `subnet: unknown SubNet "ref9" (allowed: "most-accurate" or one of ref0, ref1, ref2, ref3, ref4, ref5)`)
}
