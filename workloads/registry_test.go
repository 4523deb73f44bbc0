package workloads

import (
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// tableKeys lists a key of [workload.arrival] and, for a table, its keys.
func tableKeys(key string) []string {
	f := reflect.TypeFor[ArrivalConfig]().Field(arrivalKeys()[key])
	out := []string{key}
	if f.Type.Kind() == reflect.Struct {
		for i := range f.Type.NumField() {
			out = append(out, strings.Split(f.Type.Field(i).Tag.Get("toml"), ",")[0])
		}
	}
	return out
}

// Every registered process is documented (docs/workloads.md names it and
// every key it reads; docs/experiments.md names it) and validation knows
// it: its name is accepted, and a key of another process is refused.
func TestRegistryDocumentedAndValidated(t *testing.T) {
	wl, err := os.ReadFile("../docs/workloads.md")
	require.NoError(t, err)
	ex, err := os.ReadFile("../docs/experiments.md")
	require.NoError(t, err)
	names := Processes()
	require.Len(t, names, 8)
	for _, name := range names {
		p, _ := Lookup(name)
		assert.True(t, strings.Contains(string(wl), "| `"+name+"` |"), "docs/workloads.md: the process table has no row for %q", name)
		assert.True(t, strings.Contains(string(ex), "`"+name+"`"), "docs/experiments.md does not name process %q", name)
		for _, k := range p.Keys {
			for _, sub := range tableKeys(k) {
				documented := strings.Contains(string(wl), "`"+sub+"`") || strings.Contains(string(wl), "`"+sub+" = ")
				assert.True(t, documented, "docs/workloads.md does not document key %q of process %q", sub, name)
			}
		}
		c := Config{Queries: 1, Arrival: ArrivalConfig{Process: name}}
		err := c.Validate()
		if err != nil {
			assert.NotContains(t, err.Error(), "unknown process", name)
		}
		c.Arrival.CV2, c.Arrival.PhaseS = 2, 1
		err = c.Validate()
		require.Error(t, err, name)
		if !contains(p.Keys, "cv2") {
			assert.Contains(t, err.Error(), `arrival.cv2: not used by process "`+name+`" (only by gamma)`)
		}
		if !contains(p.Keys, "phase_s") {
			assert.Contains(t, err.Error(), `arrival.phase_s: not used by process "`+name+`" (only by diurnal)`)
		}
	}
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if x == y {
			return true
		}
	}
	return false
}

// burstProcess is a toy arrival process registered by a test: bursts of
// three simultaneous queries, one burst every 3/rate seconds.
type burstProcess struct {
	gapNs int64
	n     int64
}

func (p *burstProcess) Next(q *Query) bool {
	q.Arrival = p.n / 3 * p.gapNs
	p.n++
	return true
}

// A new arrival process is one Register call: New builds it, Validate
// checks its keys and refuses the others, MeanRate reports it.
func TestRegisterToyProcess(t *testing.T) {
	Register(Process{Name: "toy-burst", Keys: []string{"rate"},
		Validate: func(a *ArrivalConfig, v *Problems) { v.Positive("arrival.rate", a.Rate) },
		Build: func(a *ArrivalConfig, _ *BuildEnv) (Arrivals, error) {
			return &burstProcess{gapNs: int64(3e9 / a.Rate)}, nil
		},
		MeanRate: rateOf})
	t.Cleanup(func() { unregister("toy-burst") })
	assert.Panics(t, func() { Register(Process{Name: "toy-burst", Validate: (*ArrivalConfig).validateReplay, Build: nil}) })
	assert.Panics(t, func() {
		Register(Process{Name: "toy-2", Keys: []string{"nosuch"}, Validate: (*ArrivalConfig).validateReplay,
			Build: func(*ArrivalConfig, *BuildEnv) (Arrivals, error) { return nil, nil }})
	})

	c := Config{Queries: 7, Arrival: ArrivalConfig{Process: "toy-burst", Rate: 30}, Needs: oneClass}
	s := mustNew(t, c, 1, 2)
	var q Query
	var got []int64
	for s.Next(&q) {
		got = append(got, q.Arrival)
	}
	assert.Equal(t, []int64{0, 0, 0, 1e8, 1e8, 1e8, 2e8}, got)
	r, ok := c.Arrival.MeanRate()
	assert.True(t, ok)
	assert.Equal(t, 30.0, r)
	c.Arrival.Rate = -1
	assert.ErrorContains(t, c.Validate(), "arrival.rate: must be > 0, got -1")
	c.Arrival.Rate, c.Arrival.Amplitude = 1, 0.5
	assert.ErrorContains(t, c.Validate(), `arrival.amplitude: not used by process "toy-burst" (only by diurnal)`)
	assert.Contains(t, Processes(), "toy-burst")
	c.Queries = 0
	assert.ErrorContains(t, c.Validate(), `queries: set queries or duration_s (or both): a "toy-burst" stream never ends by itself`)
}
