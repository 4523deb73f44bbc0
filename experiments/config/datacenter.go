package config

import (
	"errors"
	"fmt"

	"github.com/BurntSushi/toml"

	"github.com/sushisim/sushisim/workloads"
)

// DatacenterConfig is [datacenter]: the cluster split into cells of
// instances, each with its own router and policies, behind a front end that
// sends each query to one cell by a rule that keeps cells independent, so
// cells run as separate tasks (docs/datacenter.md).
type DatacenterConfig struct {
	Cells     int             `toml:"cells"`     // number of cells (default 1: no split)
	FrontEnd  string          `toml:"front_end"` // random | class | tenant
	Split     string          `toml:"split"`     // auto | rate | stream: how a cell's queries are made
	WindowS   float64         `toml:"window_s"`  // time series of the datacenter, s (0: none)
	Autoscale AutoscaleConfig `toml:"autoscale"` // [datacenter.autoscale]
	Power     PowerConfig     `toml:"power"`     // [datacenter.power]
}

// AutoscaleConfig is [datacenter.autoscale]: each cell's autoscaler
// (engine.Autoscale). Absent (interval_s = 0): every instance stays on.
type AutoscaleConfig struct {
	IntervalS float64 `toml:"interval_s"` // decision period, s
	Target    float64 `toml:"target"`     // target utilisation of routable instances, (0,1]
	Band      float64 `toml:"band"`       // hysteresis half-width, [0, target)
	WakeS     float64 `toml:"wake_s"`     // delay from off to routable, s
	Min       int     `toml:"min"`        // instances per cell never powered off (default 1)
	Initial   int     `toml:"initial"`    // instances per cell on at time 0 (0 = all)
}

// PowerConfig is [datacenter.power]: the power of one instance in each
// state besides service (whose energy comes from the cost model), W.
type PowerConfig struct {
	IdleW *float64 `toml:"idle_w"` // on, not serving (default: the accelerator's energy.static_w)
	OffW  *float64 `toml:"off_w"`  // powered off (default 0)
	WakeW *float64 `toml:"wake_w"` // powering up (default: idle_w)
}

// Front ends and splits [datacenter] may name.
const (
	FrontRandom = "random"                // weighted random split, weights = cell sizes
	FrontClass  = workloads.SplitByClass  // need class mod cells ([workload.split]'s rule)
	FrontTenant = workloads.SplitByTenant // tenant mod cells
	SplitAuto   = "auto"                  // rate when it is exact, else stream
	SplitRate   = "rate"                  // an independent process per cell at its share of the rate
	SplitStream = "stream"                // the whole stream in every cell, keeping the cell's queries
)

// Datacenter is [datacenter] resolved: cell sizes, the split in use and
// the power of each state.
type Datacenter struct {
	DatacenterConfig
	On                   bool  // the file has a [datacenter] table
	Sizes                []int // instances per cell
	IdleW, OffW, WakingW float64
}

// Weight is cell c's share of the instances: its share of the queries
// under the random front end.
func (d *Datacenter) Weight(c int) float64 {
	n := 0
	for _, s := range d.Sizes {
		n += s
	}
	return float64(d.Sizes[c]) / float64(n)
}

// decodeDatacenter checks [datacenter] against the settings it splits.
func decodeDatacenter(md toml.MetaData, f DatacenterConfig, x *Settings, p *problems) Datacenter {
	d := Datacenter{DatacenterConfig: f, On: md.IsDefined("datacenter")}
	if d.Cells == 0 {
		d.Cells = 1
	}
	if d.FrontEnd == "" {
		d.FrontEnd = FrontRandom
	}
	if d.Split == "" {
		d.Split = SplitAuto
	}
	if len(x.Groups) == 0 || x.Cluster.Instances < 1 {
		return d // [cluster] is wrong, and said so
	}
	switch {
	case d.Cells < 1:
		p.add("datacenter.cells", fmt.Errorf("must be >= 1, got %d", d.Cells))
		d.Cells = 1
	case d.Cells > 1 && len(x.Cluster.Group) > 0:
		p.add("datacenter.cells", errors.New("cells split cluster.instances; [[cluster.group]] clusters are not split into cells"))
	case d.Cells > 1 && x.Workload.Split.Parts > 1:
		p.add("datacenter.cells", errors.New("the front end splits the stream into cells itself: leave out [workload.split]"))
	case d.Cells > x.Cluster.Instances:
		p.add("datacenter.cells", fmt.Errorf("%d cells for %d instances: every cell needs at least one", d.Cells, x.Cluster.Instances))
		d.Cells = 1
	}
	for c := range d.Cells { // as even as possible, the larger cells first
		n := x.Cluster.Instances / d.Cells
		if c < x.Cluster.Instances%d.Cells {
			n++
		}
		d.Sizes = append(d.Sizes, n)
	}
	switch d.FrontEnd {
	case FrontRandom, FrontTenant:
	case FrontClass:
		if w := &x.Workload.Arrival; w.Process == workloads.ProcessTrace && w.Trace.AccuracyColumn != "" {
			p.add("datacenter.front_end", errors.New(`"class" needs need classes; this workload's needs come from trace columns`))
		} else if n := len(x.Workload.Needs.Class); d.Cells > n {
			p.add("datacenter.front_end", fmt.Errorf(`"class" sends each need class to one cell: %d cells for %d classes would leave cells without queries`, d.Cells, n))
		}
	default:
		p.add("datacenter.front_end", fmt.Errorf("%q unknown (allowed: %s, %s, %s)", d.FrontEnd, FrontRandom, FrontClass, FrontTenant))
	}
	switch d.Split {
	case SplitAuto:
		d.Split = SplitStream
		if RateSplitExact(&d, &x.Workload) == nil {
			d.Split = SplitRate
		}
	case SplitStream:
	case SplitRate:
		if err := RateSplitExact(&d, &x.Workload); err != nil {
			p.add("datacenter.split", err)
		}
	default:
		p.add("datacenter.split", fmt.Errorf("%q unknown (allowed: %s, %s, %s)", d.Split, SplitAuto, SplitRate, SplitStream))
	}
	if d.WindowS < 0 {
		p.add("datacenter.window_s", fmt.Errorf("must be >= 0 (0: no time series), got %v", d.WindowS))
	}
	checkAutoscale(md, &d, x, p)
	d.IdleW, d.OffW = x.Groups[0].Hardware.Energy.StaticW, 0
	if d.Power.IdleW != nil {
		d.IdleW = *d.Power.IdleW
	}
	if d.Power.OffW != nil {
		d.OffW = *d.Power.OffW
	}
	d.WakingW = d.IdleW
	if d.Power.WakeW != nil {
		d.WakingW = *d.Power.WakeW
	}
	for k, w := range map[string]float64{"idle_w": d.IdleW, "off_w": d.OffW, "wake_w": d.WakingW} {
		if !(w >= 0 && w < 1e6) {
			p.add("datacenter.power."+k, fmt.Errorf("must be a power in W, >= 0, got %v", w))
		}
	}
	return d
}

func checkAutoscale(md toml.MetaData, d *Datacenter, x *Settings, p *problems) {
	a := &d.Autoscale
	if !md.IsDefined("datacenter", "autoscale") {
		return
	}
	if a.Min == 0 {
		a.Min = 1
	}
	smallest := d.Sizes[len(d.Sizes)-1]
	if !(a.IntervalS > 0) {
		p.add("datacenter.autoscale.interval_s", fmt.Errorf("must be > 0 s (the decision period), got %v", a.IntervalS))
	}
	if !(a.Target > 0 && a.Target <= 1) {
		p.add("datacenter.autoscale.target", fmt.Errorf("must be in (0, 1], got %v", a.Target))
	}
	if !(a.Band >= 0 && a.Band < a.Target) {
		p.add("datacenter.autoscale.band", fmt.Errorf("must be in [0, target), got %v", a.Band))
	}
	if !(a.WakeS >= 0) {
		p.add("datacenter.autoscale.wake_s", fmt.Errorf("must be >= 0 s, got %v", a.WakeS))
	}
	if a.Min < 1 || a.Min > smallest {
		p.add("datacenter.autoscale.min", fmt.Errorf("must be in [1, %d] (the smallest cell's instances), got %d", smallest, a.Min))
	}
	if a.Initial < 0 || a.Initial > smallest {
		p.add("datacenter.autoscale.initial", fmt.Errorf("must be in [0, %d] (0 = all), got %d", smallest, a.Initial))
	}
	if x.Engine.Kernel == KernelSimgo {
		p.add("datacenter.autoscale", errors.New("runs on the sushisim kernel only (engine.kernel = \"sushisim\")"))
	}
}

// RateSplitExact says why an independent arrival process per cell would not
// be the random front end's split of the whole stream, or nil when it is:
// a Poisson process (homogeneous, or diurnal: non-homogeneous) thinned
// independently with probability w is a Poisson process of rate w times the
// rate, independent of the other cells' (the thinning, or colouring,
// theorem: Kingman, Poisson Processes, 1993, §5.1), and the needs are a
// Markov chain with locality p observed at the kept queries, which is the
// same chain with locality w p / (1 - (1 - w) p) (CellLocality), as long as
// the class mix does not change over time or with the tenant. It also needs
// a time limit: a query count would stop each cell at its own count.
func RateSplitExact(d *Datacenter, w *workloads.Config) error {
	n := &w.Needs
	switch {
	case d.Cells == 1:
		return nil
	case d.FrontEnd != FrontRandom:
		return fmt.Errorf("front_end %q keeps a class or tenant together: only the whole stream split by that key is exact", d.FrontEnd)
	case w.Arrival.Process != workloads.ProcessPoisson && w.Arrival.Process != workloads.ProcessDiurnal:
		return fmt.Errorf("arrival process %q: only Poisson and diurnal arrivals thin into independent processes", w.Arrival.Process)
	case len(n.Phase) > 0 || len(n.Tenant) > 0:
		return errors.New("need phases or tenant mixes change the class mix: a thinned chain is not the same chain")
	case w.Queries > 0:
		return errors.New("workload.queries stops the whole stream at a count; give duration_s instead")
	}
	return nil
}

// CellLocality is the locality of the needs a cell sees when it keeps each
// query of a stream with locality p independently with probability w: the
// chain "keep the class with probability p, else draw from the mix" run k
// steps keeps the class with probability p^k, and the number of steps to
// the next kept query is geometric(w), so the kept queries keep their class
// with probability sum_k w (1-w)^(k-1) p^k = w p / (1 - (1 - w) p).
func CellLocality(p, w float64) float64 {
	if p == 0 {
		return 0
	}
	return w * p / (1 - (1-w)*p)
}
