package experiments

import (
	"fmt"
	"time"

	"github.com/sushisim/sushisim/accel"
	"github.com/sushisim/sushisim/engine"
	"github.com/sushisim/sushisim/models"
	"github.com/sushisim/sushisim/policies"
	"github.com/sushisim/sushisim/workloads"
)

// Result is one run's summary row plus what is not a result (wall time),
// kept apart so result files stay byte-identical across machines.
type Result struct {
	Summary Summary
	WallS   float64
	Metrics *engine.Metrics
}

// Run runs every [[policy]] of the experiment on the same query stream (the
// same seed and streams), one after the other, and returns their results in
// file order.
func Run(x *Experiment) ([]Result, error) {
	net, err := models.Lookup(x.Model.SuperNet)
	if err != nil {
		return nil, fmt.Errorf("model.supernet: %w", err)
	}
	subnets, err := models.BuiltinCatalog(net, x.Model.Catalog)
	if err != nil {
		return nil, fmt.Errorf("model.catalog: %w", err)
	}
	cat := policies.NewCatalog(subnets)
	hw := x.Hardware
	// SushiAbs rows are precomputed for the SubGraphs policies most often
	// make resident: each SubNet itself. Others are computed on change.
	table := accel.NewTable(&hw, subnets, cat.Graphs)
	var out []Result
	for _, pol := range x.Policies {
		r, err := runOne(x, &pol, cat, &hw, table)
		if err != nil {
			return nil, fmt.Errorf("policy %q: %w", pol.Name, err)
		}
		out = append(out, r)
	}
	return out, nil
}

func runOne(x *Experiment, pol *Policy, cat *policies.Catalog, hw *accel.Hardware, table *accel.Table) (Result, error) {
	src, err := workloads.New(x.Workload, engine.Stream(x.Seed, "arrivals"), engine.Stream(x.Seed, "needs"), x.Dir)
	if err != nil {
		return Result{}, fmt.Errorf("workload: %w", err)
	}
	env := func(name string) *policies.Env {
		return &policies.Env{Catalog: cat, Hardware: hw, Table: table, Rand: engine.Stream(x.Seed, name)}
	}
	spec := engine.Spec{Hardware: hw, Table: table, Catalog: cat, Source: src}
	if spec.Selector, err = pol.SelectorSpec.Build(env("select")); err != nil {
		return Result{}, err
	}
	if spec.Router, err = pol.RouterSpec.Build(env("router")); err != nil {
		return Result{}, err
	}
	for i := 0; i < x.Cluster.Instances; i++ {
		c, err := pol.CacheSpec.Build(env(fmt.Sprintf("cache/%d", i)))
		if err != nil {
			return Result{}, err
		}
		spec.Caches = append(spec.Caches, c)
	}
	start := time.Now()
	m, err := engine.Run(spec)
	if err != nil {
		return Result{}, err
	}
	wall := time.Since(start).Seconds()
	return Result{Summary: summarize(x, pol, m), WallS: wall, Metrics: m}, nil
}
