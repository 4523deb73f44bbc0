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
	// One SushiAbs table per accelerator kind, shared read-only by its
	// instances. Rows are precomputed for the SubGraphs policies most often
	// make resident: each SubNet itself. Others are computed on change.
	groups := make([]builtGroup, len(x.Groups))
	for i := range x.Groups {
		g := &groups[i]
		g.Group = x.Groups[i]
		g.table = accel.NewTable(&g.Hardware, subnets, cat.Graphs)
	}
	var out []Result
	for _, pol := range x.Policies {
		r, err := runOne(x, &pol, cat, groups)
		if err != nil {
			return nil, fmt.Errorf("policy %q: %w", pol.Name, err)
		}
		out = append(out, r)
	}
	return out, nil
}

// builtGroup is a Group with its SushiAbs table.
type builtGroup struct {
	Group
	table *accel.Table
}

func runOne(x *Experiment, pol *Policy, cat *policies.Catalog, groups []builtGroup) (Result, error) {
	src, err := workloads.New(x.Workload, engine.Stream(x.Seed, "arrivals"), engine.Stream(x.Seed, "needs"), x.Dir)
	if err != nil {
		return Result{}, fmt.Errorf("workload: %w", err)
	}
	env := func(g *builtGroup, name string) *policies.Env {
		return &policies.Env{Catalog: cat, Hardware: &g.Hardware, Table: g.table, Rand: engine.Stream(x.Seed, name)}
	}
	spec := engine.Spec{Catalog: cat, Source: src}
	if spec.Selector, err = pol.SelectorSpec.Build(env(&groups[0], "select")); err != nil {
		return Result{}, err
	}
	renv := env(&groups[0], "router")
	renv.Selector = spec.Selector
	if spec.Router, err = pol.RouterSpec.Build(renv); err != nil {
		return Result{}, err
	}
	for gi := range groups {
		g := &groups[gi]
		for j := 0; j < g.Count; j++ {
			c, err := pol.CacheSpec.Build(env(g, fmt.Sprintf("cache/%d", len(spec.Instances))))
			if err != nil {
				return Result{}, err
			}
			spec.Instances = append(spec.Instances, engine.InstanceSpec{Hardware: &g.Hardware, Table: g.table, Cache: c})
		}
	}
	start := time.Now()
	m, err := engine.Run(spec)
	if err != nil {
		return Result{}, err
	}
	wall := time.Since(start).Seconds()
	return Result{Summary: summarize(x, pol, m), WallS: wall, Metrics: m}, nil
}
