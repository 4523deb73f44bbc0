package policies

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sushisim/sushisim/accel"
	"github.com/sushisim/sushisim/models"
)

func reference(t testing.TB) *Catalog {
	t.Helper()
	net, err := models.Lookup("ofa-resnet50")
	require.NoError(t, err)
	subs, err := models.BuiltinCatalog(net, "reference")
	require.NoError(t, err)
	return NewCatalog(subs)
}

func rowOf(lat ...int64) accel.Row {
	r := make(accel.Row, len(lat))
	for i, l := range lat {
		r[i].LatencyNs = l
	}
	return r
}

func TestCatalogOrdersByAccuracy(t *testing.T) {
	c := reference(t)
	// published accuracies rise with the reference index (75.0 ... 79.8)
	assert.Equal(t, []int32{5, 4, 3, 2, 1, 0}, c.ByAccuracy)
}

func TestAccuracyFirst(t *testing.T) {
	c := reference(t)
	a := &AccuracyFirst{cat: c}
	row := rowOf(10, 20, 30, 40, 50, 60) // ms-scale made-up latencies, bigger = slower
	// loose SLO: the most accurate SubNet
	assert.Equal(t, int32(5), a.Select(Need{MinAccuracy: 70, SLO: 100}, row))
	// SLO 45 after waiting 10: the most accurate finishing by 45 is index 3 (40 > 35? no) -> index 2
	assert.Equal(t, int32(2), a.Select(Need{MinAccuracy: 70, SLO: 45, Waited: 10}, row))
	// accuracy need 79.0 excludes 0..2; nothing meets SLO 30: fastest meeting accuracy is 3
	assert.Equal(t, int32(3), a.Select(Need{MinAccuracy: 79.0, SLO: 30}, row))
	// nothing meets accuracy 99: fastest overall
	assert.Equal(t, int32(0), a.Select(Need{MinAccuracy: 99, SLO: 1000}, row))
}

func TestSGSAdoptsServedSubNetAfterQ(t *testing.T) {
	c := reference(t)
	big := c.Graphs[5].Weights() * 2
	s := newSGS(c, 10, 20, big, c.SubNets[0].Net.NumLayers())
	for i := 0; i < 9; i++ {
		require.False(t, s.Served(2), "no decision before Q queries")
	}
	assert.True(t, s.Resident().Empty())
	require.True(t, s.Served(2), "decides at the Q-th query")
	assert.True(t, s.Resident().Equal(c.Graphs[2]), "with room for it, SGS caches exactly the one SubNet served")
	for i := 0; i < 30; i++ {
		assert.False(t, s.Served(2), "a stable stream causes no reloads")
	}
}

func TestSGSRespectsCapacityAndPrefersShared(t *testing.T) {
	c := reference(t)
	capacity := int64(2 << 20) // 2 Mi weights: a quarter of the smallest SubNet
	s := newSGS(c, 10, 40, capacity, c.SubNets[0].Net.NumLayers())
	for i := 0; i < 40; i++ {
		s.Served(int32(i % 2 * 5)) // SubNets 0 and 5 alternate
	}
	r := s.Resident()
	require.False(t, r.Empty())
	assert.LessOrEqual(t, r.Weights(), capacity)
	// Weights shared by both SubNets serve twice as often as weights only
	// one uses, and |0 ∩ 5| (7.9 M, sushi-facts §2.4) is far above the
	// capacity, so SGS fills the PB with shared weights; leading-slice
	// geometry may force a few others in with the last slices.
	shared := r.Intersect(c.Graphs[0]).IntersectWeights(c.Graphs[5])
	assert.Greater(t, float64(shared)/float64(r.Weights()), 0.99)
	assert.Greater(t, r.Weights(), capacity*99/100, "the PB is filled")
}

func TestSGSReloadMustPayForItself(t *testing.T) {
	c := reference(t)
	big := c.Graphs[5].Weights() * 2
	layers := c.SubNets[0].Net.NumLayers()
	// Q = 1, W = 1: caching SubNet 4 saves |4| weights per query and costs
	// |4| to load. Over the next Q = 1 query that only breaks even, so SGS
	// declines; with Q = 2 the saving is twice the load and it adopts.
	s1 := newSGS(c, 1, 1, big, layers)
	assert.False(t, s1.Served(4))
	assert.True(t, s1.Resident().Empty())
	s2 := newSGS(c, 2, 1, big, layers)
	assert.False(t, s2.Served(4))
	assert.True(t, s2.Served(4))
	assert.True(t, s2.Resident().Equal(c.Graphs[4]))
}
