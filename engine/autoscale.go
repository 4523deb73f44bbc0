package engine

import (
	"fmt"
	"math"

	"github.com/sushisim/sushisim/models"
)

// Autoscale powers a cluster's instances up and down with its load. Every
// IntervalNs it measures the utilisation of the routable instances over the
// interval just ended (busy plus reload time of the services that finished
// in it, over the routable instance-time); outside the band Target ± Band it
// sets the number of instances to the one that would have run at Target,
// ceil(busy / (interval x Target)), within [Min, all]. Inside the band it
// changes nothing (hysteresis: a load near the target does not make
// instances flap).
//
// The routable instances are always the first n (a prefix): routers see
// ClusterView.Instances() = n and never pick one beyond it, so every router
// skips powered-off instances without knowing about power. Scaling down
// takes the last instances out of routing at once; each powers off when
// its queue has drained. Scaling up makes the next instances routable: an
// instance still draining at once, an off one after WakeNs, with a fresh
// cache (InstanceSpec.Fresh: its PB is empty, and the cache pays for
// every byte it then loads, as at the start of a run).
type Autoscale struct {
	IntervalNs int64   // decision period, > 0
	Target     float64 // target utilisation of routable instances, in (0, 1]
	Band       float64 // hysteresis half-width, in [0, Target)
	WakeNs     int64   // off to routable, >= 0
	Min        int     // instances never powered off, >= 1
	Initial    int     // instances routable at time 0 (0 = all)
}

func (a *Autoscale) check(n int) error {
	switch {
	case a.IntervalNs <= 0:
		return fmt.Errorf("engine: autoscale interval must be > 0, got %d ns", a.IntervalNs)
	case !(a.Target > 0 && a.Target <= 1):
		return fmt.Errorf("engine: autoscale target must be in (0,1], got %g", a.Target)
	case !(a.Band >= 0 && a.Band < a.Target):
		return fmt.Errorf("engine: autoscale band must be in [0, target), got %g", a.Band)
	case a.WakeNs < 0:
		return fmt.Errorf("engine: autoscale wake delay must be >= 0, got %d ns", a.WakeNs)
	case a.Min < 1 || a.Min > n:
		return fmt.Errorf("engine: autoscale min must be in [1, %d instances], got %d", n, a.Min)
	case a.Initial < 0 || a.Initial > n:
		return fmt.Errorf("engine: autoscale initial must be in [0, %d instances], got %d", n, a.Initial)
	}
	return nil
}

// autoscaler is the running state of Autoscale in one cluster.
type autoscaler struct {
	cfg      Autoscale
	want     int   // instances the last decision asked for
	lastBusy int64 // BusyNs + ReloadNs at the last decision
	lastAct  int64 // Power.ActiveNs at the last decision
	tick     Kind
	wake     Kind
	empty    models.SubGraph
}

// startAutoscale sets the routable prefix for time 0, powers the rest off
// and schedules the first decision.
func (c *cluster) startAutoscale(a *Autoscale) error {
	if err := a.check(len(c.inst)); err != nil {
		return err
	}
	for i := range c.inst {
		if c.spec.Instances[i].Fresh == nil {
			return fmt.Errorf("engine: instance %d: autoscaling needs InstanceSpec.Fresh (the cache a woken instance starts with)", i)
		}
	}
	as := &autoscaler{cfg: *a}
	as.tick = c.k.Register(c.onScale)
	as.wake = c.k.Register(c.onWake)
	c.as = as
	now := c.k.Now()
	n := a.Initial
	if n == 0 {
		n = len(c.inst)
	}
	n = max(n, a.Min)
	as.want = n
	c.active = n
	as.empty = models.NewSubGraph(c.spec.Catalog.Layers())
	for i := n; i < len(c.inst); i++ {
		c.touch(int32(i))
		c.powerOff(now, int32(i)) // one loading its first SubGraph powers off when that ends
	}
	c.k.Schedule(now+a.IntervalNs, as.tick, 0)
	return nil
}

// working reports whether the run still has something to do: queries to
// arrive or in flight. Periodic events stop rescheduling themselves when it
// is false, so the kernel runs dry and the run ends.
func (c *cluster) working() bool {
	if _, ok := c.ahead.peek(0); ok {
		return true
	}
	return c.m.Arrived > c.m.Completed+c.m.Dropped
}

// onScale is one autoscaling decision.
func (c *cluster) onScale(now Time, _ int32) {
	if !c.working() {
		return
	}
	as := c.as
	c.settleActive(now)
	busy := c.m.BusyNs + c.m.ReloadNs - as.lastBusy
	act := c.m.Power.ActiveNs - as.lastAct
	as.lastBusy, as.lastAct = c.m.BusyNs+c.m.ReloadNs, c.m.Power.ActiveNs
	if act > 0 {
		u := float64(busy) / float64(act)
		if u > as.cfg.Target+as.cfg.Band || u < as.cfg.Target-as.cfg.Band {
			want := int(math.Ceil(float64(busy) / (float64(as.cfg.IntervalNs) * as.cfg.Target)))
			c.scaleTo(now, min(max(want, as.cfg.Min), len(c.inst)))
		}
	}
	c.k.Schedule(now+as.cfg.IntervalNs, as.tick, 0)
}

// scaleTo makes n instances the target: the prefix shrinks at once, or the
// instances beyond it wake (those still on join at once).
func (c *cluster) scaleTo(now Time, n int) {
	as := c.as
	as.want = n
	if n < c.active {
		c.settleActive(now)
		old := c.active
		c.active = n
		for i := n; i < old; i++ {
			in := &c.inst[i]
			c.touch(int32(i))
			if !in.busy {
				c.powerOff(now, int32(i))
			}
		}
		return
	}
	for i := c.active; i < n; i++ {
		in := &c.inst[i]
		if in.power == powerOff {
			c.settle(in, now)
			in.power = powerWaking
			c.m.Power.Wakes++
			c.k.Schedule(now+as.cfg.WakeNs, as.wake, int32(i))
		}
	}
	c.grow(now)
}

// grow extends the routable prefix over the powered instances after it,
// up to the target.
func (c *cluster) grow(now Time) {
	c.settleActive(now)
	for c.active < c.as.want && c.inst[c.active].power == powerOn {
		c.active++
		c.touch(int32(c.active - 1))
	}
}

// onWake: instance i is powered, with an empty PB and a fresh cache.
func (c *cluster) onWake(now Time, i int32) {
	c.tick(now) // a power-up is part of the run: it may end after the last query
	in := &c.inst[i]
	c.settle(in, now)
	in.power = powerOn
	in.cache = c.spec.Instances[i].Fresh()
	in.resident, in.row, in.freeFill = c.as.empty, in.emptyRow, false
	if next := in.cache.Resident(); !next.Empty() {
		// a cache that starts with contents (a pinned SubGraph) loads them
		// now and pays for them, as at the start of a run
		c.load(now, i, next, -1)
	}
	if int(i) >= c.as.want {
		if !in.busy {
			c.powerOff(now, i) // the load fell while it woke
		}
		return
	}
	c.grow(now)
}

// powerOff turns idle instance i off; an overlapped reload still streaming
// stops (the PB loses its contents with the power).
func (c *cluster) powerOff(now Time, i int32) {
	in := &c.inst[i]
	if in.power != powerOn || in.busy {
		return
	}
	if in.hasPending {
		c.settleReload(in, now, nil)
	}
	c.settle(in, now)
	in.power = powerOff
}

// routable reports whether the router may pick instance i.
func (c *cluster) routable(i int32) bool { return int(i) < c.active }
