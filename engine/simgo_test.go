package engine

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fired is one executed event, as a handler saw it.
type fired struct {
	t    Time
	kind Kind
	arg  int32
}

// branching drives a Scheduler with a random model full of ties: every event
// schedules one or two more (until a budget runs out), at now or a few ns later, of one of two kinds,
// and the run is cut by Run(until) at checkpoints, between which events are
// also scheduled at exactly Now. Both kernels see the same draws only if
// they run the events in the same order.
func branching(s Scheduler, seed uint64) []fired {
	r := rand.New(rand.NewPCG(seed, 7))
	var log []fired
	var kinds [2]Kind
	budget := 20000
	spawn := func(now Time) {
		for range 1 + r.IntN(2) {
			if budget == 0 {
				return
			}
			budget--
			s.Schedule(now+Time(r.IntN(4)), kinds[r.IntN(2)], int32(r.IntN(1000)))
		}
	}
	for i := range kinds {
		kinds[i] = s.Register(func(now Time, arg int32) {
			log = append(log, fired{now, Kind(i), arg})
			spawn(now)
		})
	}
	for i := range 50 {
		s.Schedule(Time(r.IntN(20)), kinds[i%2], int32(i))
	}
	for _, until := range []Time{0, 5, 5, 17, 300, 2000} {
		s.Run(until)
		if s.Now() != until {
			panic("Run(until) must leave the clock at until")
		}
		s.Schedule(s.Now(), kinds[0], -1) // exactly now, between runs
		s.Schedule(s.Now()+1, kinds[1], -2)
	}
	s.Run(-1)
	return log
}

// simgo orders equal times by scheduling order, like Kernel: the same model
// gives the same sequence of (time, kind, arg) on both, through Run(until)
// cuts and events scheduled at exactly Now between runs.
func TestSimgoKernelRunsEventsInKernelOrder(t *testing.T) {
	for seed := range uint64(3) {
		k, s := NewKernel(), NewSimgoKernel()
		want := branching(k, seed)
		got := branching(s, seed)
		require.Greater(t, len(want), 10000)
		require.Equal(t, want, got)
		assert.Equal(t, k.Events(), s.Events())
		assert.Equal(t, uint64(len(want)), s.Events())
		assert.Equal(t, k.Now(), s.Now())
	}
}

func TestSimgoKernelRejectsPastAndInexactTimes(t *testing.T) {
	s := NewSimgoKernel()
	kind := s.Register(func(Time, int32) {})
	s.Schedule(10, kind, 0)
	s.Run(-1)
	assert.Equal(t, Time(10), s.Now())
	assert.Panics(t, func() { s.Schedule(9, kind, 0) })
	assert.Panics(t, func() { s.Schedule(maxSimgoTime, kind, 0) })
	s.Schedule(maxSimgoTime-1, kind, 0) // the last exact nanosecond is fine
	s.Run(-1)
	assert.Equal(t, maxSimgoTime-1, s.Now())
}

// The same end-to-end runs give identical Metrics on both kernels: SGS with
// reloads on three instances (equal-time finishes and arrivals), and a
// synthetic M/M/4.
func TestClusterIdenticalOnSimgo(t *testing.T) {
	f := newFixture(t)
	specs := map[string]func() Spec{
		"sgs x3": func() Spec { return f.spec(t, poisson(t, 9, 60, 3000, 0.95), "sgs", 3) },
		"M/M/4":  func() Spec { return at(4, 0.9, exp10).spec(t, f, 3000, 5) },
	}
	for name, mk := range specs {
		t.Run(name, func(t *testing.T) {
			own := run(t, mk())
			s := mk()
			s.Kernel = NewSimgoKernel()
			other := run(t, s)
			require.Equal(t, own.Latency.GetCount(), other.Latency.GetCount())
			for _, q := range []float64{0, 0.5, 0.9, 0.99, 1} {
				a, err := own.Latency.GetValueAtQuantile(q)
				require.NoError(t, err)
				b, err := other.Latency.GetValueAtQuantile(q)
				require.NoError(t, err)
				assert.Equal(t, a, b, "latency quantile %g", q)
			}
			own.Latency, other.Latency = nil, nil
			assert.Equal(t, own, other)
			assert.GreaterOrEqual(t, own.Events, uint64(6000), "an arrival and a finish per query")
		})
	}
}
