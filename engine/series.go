package engine

import (
	"github.com/DataDog/sketches-go/ddsketch"

	"github.com/sushisim/sushisim/accel"
)

// Window is one window of a run's time series (Spec.WindowNs > 0): what
// happened in [Start, End) of simulated time, as differences of the run's
// own counters at the window's ends, so the windows of a run add up to its
// totals exactly. Queries are counted when they arrive or finish; a
// service's busy time and energy when it finishes; idle, waking and off
// time as they pass.
type Window struct {
	Start, End   Time
	Outcome      // of the queries that arrived or finished in the window
	LatencyNsSum float64
	Latency      *ddsketch.DDSketch `json:"-"` // ms, of the queries completed in the window
	BusyNs       int64              // service
	ReloadNs     int64
	Energy       accel.Energy // pJ, of service and reloads
	Power        PowerTime
}

// snapshot is the counters a window is the difference of.
type snapshot struct {
	out          Outcome
	latSum       float64
	busy, reload int64
	energy       accel.Energy
	power        PowerTime
}

func (m *Metrics) snapshot() snapshot {
	return snapshot{out: m.Outcome, latSum: m.LatencyNsSum, busy: m.BusyNs, reload: m.ReloadNs,
		energy: m.Energy.Add(m.ReloadEnergy), power: m.Power}
}

// series cuts a run into windows.
type series struct {
	windowNs Time
	start    Time
	last     snapshot
	tick     Kind
}

func (c *cluster) startSeries(windowNs Time) {
	c.series = &series{windowNs: windowNs, start: c.k.Now(), last: c.m.snapshot()}
	c.series.tick = c.k.Register(c.onWindow)
	c.m.window = newLatencySketch()
	c.k.Schedule(c.series.start+windowNs, c.series.tick, 0)
}

// onWindow closes the window ending now and opens the next.
func (c *cluster) onWindow(now Time, _ int32) {
	if !c.working() {
		return // the run's end closes the last window
	}
	c.closeWindow(now)
	c.m.window = newLatencySketch()
	c.k.Schedule(now+c.series.windowNs, c.series.tick, 0)
}

// closeWindow appends the window [series.start, now).
func (c *cluster) closeWindow(now Time) {
	s := c.series
	c.settleAll(now)
	cur := c.m.snapshot()
	d := Window{Start: s.start, End: now, Outcome: cur.out.Sub(s.last.out), LatencyNsSum: cur.latSum - s.last.latSum,
		Latency: c.m.window, BusyNs: cur.busy - s.last.busy, ReloadNs: cur.reload - s.last.reload,
		Energy: cur.energy.Add(s.last.energy.Scale(-1)), Power: cur.power.Sub(s.last.power)}
	c.m.Series = append(c.m.Series, d)
	s.start, s.last = now, cur
}
