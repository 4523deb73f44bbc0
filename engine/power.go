package engine

// Power states of an instance. An instance is on (idle or serving), waking
// (powering up: it serves nothing yet) or off. The engine counts the time
// each instance spends idle, waking and off; the experiments layer turns
// those times into energy with the power of each state, so the engine
// holds no watts and merging cells adds integers.
const (
	powerOn uint8 = iota
	powerWaking
	powerOff
)

// PowerTime is where a run's instance-time went besides service: summed
// over instances, ns. Busy time is Metrics.BusyNs plus Metrics.ReloadNs; for
// every instance, busy + idle + waking + off is the run's length (INV-14).
type PowerTime struct {
	IdleNs   int64 `json:"idle_ns"`   // on, neither serving nor reloading
	WakingNs int64 `json:"waking_ns"` // powering up
	OffNs    int64 `json:"off_ns"`    // powered off
	Wakes    int64 `json:"wakes"`     // power-ups started
	// ActiveNs is the integral of the number of routable instances over
	// time: divided by the run's length, the mean number of instances the
	// router could use.
	ActiveNs int64 `json:"active_ns"`
}

// Add is the sum of two PowerTimes (cells of one datacenter, windows).
func (p PowerTime) Add(o PowerTime) PowerTime {
	return PowerTime{IdleNs: p.IdleNs + o.IdleNs, WakingNs: p.WakingNs + o.WakingNs, OffNs: p.OffNs + o.OffNs,
		Wakes: p.Wakes + o.Wakes, ActiveNs: p.ActiveNs + o.ActiveNs}
}

// Sub is p - o: the part of p after a snapshot o.
func (p PowerTime) Sub(o PowerTime) PowerTime {
	return PowerTime{IdleNs: p.IdleNs - o.IdleNs, WakingNs: p.WakingNs - o.WakingNs, OffNs: p.OffNs - o.OffNs,
		Wakes: p.Wakes - o.Wakes, ActiveNs: p.ActiveNs - o.ActiveNs}
}

// settle charges instance in's time since its last change of state to the
// state it is in (a serving instance's time is its service, counted
// elsewhere) and restarts the count at now.
func (c *cluster) settle(in *instance, now Time) {
	d := now - in.since
	in.since = now
	switch {
	case in.power == powerOff:
		c.m.Power.OffNs += d
	case in.power == powerWaking:
		c.m.Power.WakingNs += d
	case !in.busy:
		c.m.Power.IdleNs += d
	}
}

// settleActive adds the routable instances' time since the last change of
// their number.
func (c *cluster) settleActive(now Time) {
	c.m.Power.ActiveNs += int64(c.active) * (now - c.activeSince)
	c.activeSince = now
}

// settleAll brings every instance's state time up to now: at a window's end
// and the run's.
func (c *cluster) settleAll(now Time) {
	for i := range c.inst {
		c.settle(&c.inst[i], now)
	}
	c.settleActive(now)
}

// idleFrom marks instance i idle from now: its queue ran dry. An instance
// the autoscaler took out of service powers off now.
func (c *cluster) idleFrom(now Time, i int32) {
	in := &c.inst[i]
	in.since = now
	if c.as != nil && int(i) >= c.active {
		c.powerOff(now, i)
	}
}

// queueKey is instance i's key in the shortest-queue index: its queue
// length, or -1 when it is not routable, which keeps it out of the index,
// so the index never answers with an instance the router may not pick.
func (c *cluster) queueKey(i int32) int32 {
	if !c.routable(i) {
		return -1
	}
	return int32(c.inst[i].qlen())
}

// startPeriodic schedules the run's periodic events: autoscaling decisions
// and window ends.
func (c *cluster) startPeriodic() error {
	if a := c.spec.Autoscale; a != nil {
		if err := c.startAutoscale(a); err != nil {
			return err
		}
	}
	if c.spec.WindowNs > 0 {
		c.startSeries(c.spec.WindowNs)
	}
	return nil
}

// finishPeriodic brings the state times up to the run's end and closes the
// last window.
func (c *cluster) finishPeriodic() {
	c.settleAll(c.m.End)
	if c.series != nil {
		c.closeWindow(c.m.End)
		c.m.window = nil
	}
}
