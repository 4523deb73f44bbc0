package policies

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sushisim/sushisim/accel"
	"github.com/sushisim/sushisim/models"
)

// Toy policies, one of each kind, to show that a registration is all a
// new policy needs (docs/extending.md).

// toyFastest serves every query with the fastest SubNet on the row.
type toyFastest struct{}

func (toyFastest) Select(_ Need, row accel.Row) int32 {
	best := int32(0)
	for i := range row {
		if row[i].LatencyNs < row[best].LatencyNs {
			best = int32(i)
		}
	}
	return best
}

func (toyFastest) Needs() Needs { return Needs{} }

type toyFastestSpec struct{}

func (*toyFastestSpec) Validate() error              { return nil }
func (*toyFastestSpec) Build(*Env) (Selector, error) { return toyFastest{}, nil }

// toyCounting keeps the PB empty and counts what it hears.
type toyCounting struct{ served int }

func (c *toyCounting) Resident() models.SubGraph { return models.SubGraph{} }
func (c *toyCounting) Served(int32) bool         { c.served++; return false }
func (c *toyCounting) Needs() Needs              { return Needs{} }

type toyCountingSpec struct{}

func (*toyCountingSpec) Validate() error           { return nil }
func (*toyCountingSpec) Build(*Env) (Cache, error) { return &toyCounting{}, nil }

// toyLast sends every query to the last instance.
type toyLast struct{}

func (toyLast) Route(_ Need, c ClusterView) int { return c.Instances() - 1 }
func (toyLast) Needs() Needs                    { return Needs{} }

type toyLastSpec struct{}

func (*toyLastSpec) Validate() error            { return nil }
func (*toyLastSpec) Build(*Env) (Router, error) { return toyLast{}, nil }

// registerToy registers a toy for the test's duration, as one line of the
// registry's tables does for a real policy (docs/extending.md).
func registerToy[T any](t *testing.T, m map[string]func() Spec[T], name string, f func() Spec[T]) {
	t.Helper()
	require.NotContains(t, m, name)
	m[name] = f
	t.Cleanup(func() { delete(m, name) })
}

// One registration each makes a toy selector, cache and router known by
// name, buildable and runnable (replayed on one instance, routed on a view).
func TestToyPoliciesRegisterAndRun(t *testing.T) {
	registerToy(t, selectors, "toy-fastest", func() Spec[Selector] { return &toyFastestSpec{} })
	registerToy(t, caches, "toy-counting", func() Spec[Cache] { return &toyCountingSpec{} })
	registerToy(t, routers, "toy-last", func() Spec[Router] { return &toyLastSpec{} })
	assert.Contains(t, SelectorNames(), "toy-fastest")
	assert.Contains(t, CacheNames(), "toy-counting")
	assert.Contains(t, RouterNames(), "toy-last")

	env, table := refEnv(t, 0)
	ss, err := SelectorSpecFor("toy-fastest")
	require.NoError(t, err)
	sel, err := ss.Build(env)
	require.NoError(t, err)
	cs, err := CacheSpecFor("toy-counting")
	require.NoError(t, err)
	c, err := cs.Build(env)
	require.NoError(t, err)
	needs := localityNeeds(t, 3, 200, 0.9)
	hits, reload := replay(t, c, sel, table, needs)
	assert.Zero(t, hits, "an empty PB serves nothing")
	assert.Zero(t, reload)
	assert.Equal(t, len(needs), c.(*toyCounting).served, "the cache hears of every query")
	// the reference catalog is sorted by MACs: ref0 is the fastest
	assert.Equal(t, int32(0), sel.Select(needs[0], table.Row(models.SubGraph{})))

	rs, err := RouterSpecFor("toy-last")
	require.NoError(t, err)
	r, err := rs.Build(env)
	require.NoError(t, err)
	f, _, _ := newFakeView(t, 5)
	assert.Equal(t, 4, r.Route(needs[0], f))
}
