package models

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
)

// Catalog is a set of SubNets of one SuperNet, each with an accuracy and its
// source, smallest (in MACs) first unless built otherwise.
type Catalog struct {
	Net     *SuperNet
	SubNets []*SubNet
}

// sweepLevels walks from all-zero levels to levels (the top index of each
// choice), raising every choice by one step per round in turn, and returns
// the distinct canonical configs met, smallest first. Each config holds the
// one before it (every step widens, deepens or enlarges something).
func sweepLevels(levels []int8, format func(v []int8) string) []string {
	v := make([]int8, len(levels))
	chain := []string{format(v)}
	top := slices.Max(levels)
	for lvl := int8(1); lvl <= top; lvl++ {
		for i, l := range levels {
			if l < lvl {
				continue
			}
			v[i] = lvl
			if s := format(v); s != chain[len(chain)-1] {
				chain = append(chain, s)
			}
		}
	}
	return chain
}

// SweepSteps is the number of distinct configs a structured sweep of net
// can return (its largest useful n).
func SweepSteps(net *SuperNet) int {
	if net.sweepChain == nil {
		return 0
	}
	return len(net.sweepChain())
}

// SweepCatalog returns n SubNets evenly spread along a structured sweep
// from the smallest SubNet of net to the largest: one choice (resolution,
// a depth, a width, an expand ratio or a kernel) is raised at a time, in
// rounds, so every SubNet holds all the weights of the ones before it.
// Accuracies are published where known, else from the fitted model.
func SweepCatalog(net *SuperNet, n int) (*Catalog, error) {
	if net.sweepChain == nil {
		return nil, fmt.Errorf("sweep: supernet %q has no search space (get SuperNets from Lookup)", net.Name)
	}
	chain := net.sweepChain()
	if n < 1 || n > len(chain) {
		return nil, fmt.Errorf("sweep size: %d not in 1..%d (the distinct steps from the smallest to the largest %s SubNet)", n, len(chain), net.Name)
	}
	c := &Catalog{Net: net, SubNets: make([]*SubNet, n)}
	width := len(strconv.Itoa(n))
	for i := range n {
		j := 0 // n = 1: the smallest
		if n > 1 {
			j = (i*(len(chain)-1) + (n-1)/2) / (n - 1) // round(i (L-1) / (n-1))
		}
		s, err := net.Build(chain[j])
		if err != nil {
			return nil, fmt.Errorf("sweep step %d: %w", j, err)
		}
		s.Name = fmt.Sprintf("sweep%0*d", width, i)
		s.Accuracy, s.AccuracySource = EstimateAccuracy(s)
		c.SubNets[i] = s
	}
	return c, nil
}

// SampleCatalog draws n distinct SubNets of net, each choice uniform over
// its values as OFA's sample_active_subnet draws them, from r (same seed,
// same catalog). The result is sorted by MACs and named s0..s(n-1).
// Accuracies are published where known, else from the fitted model.
func SampleCatalog(net *SuperNet, n int, r *rand.Rand) (*Catalog, error) {
	if n < 1 {
		return nil, fmt.Errorf("sample size: %d, want at least 1", n)
	}
	if r == nil {
		return nil, fmt.Errorf("sample: nil random source")
	}
	if net.sample == nil {
		return nil, fmt.Errorf("sample: supernet %q has no search space (get SuperNets from Lookup)", net.Name)
	}
	seen := make(map[string]bool, n)
	c := &Catalog{Net: net, SubNets: make([]*SubNet, 0, n)}
	// Both search spaces hold more than 10^12 SubNets, so repeats are rare;
	// the bound only stops a runaway loop.
	for tries := 0; len(c.SubNets) < n; tries++ {
		if tries >= 100*n {
			return nil, fmt.Errorf("sample size: drew only %d distinct SubNets of %s in %d tries", len(c.SubNets), net.Name, tries)
		}
		cfg := net.sample(r)
		if seen[cfg] {
			continue
		}
		seen[cfg] = true
		s, err := net.Build(cfg)
		if err != nil {
			return nil, fmt.Errorf("sample: %w", err)
		}
		s.Accuracy, s.AccuracySource = EstimateAccuracy(s)
		c.SubNets = append(c.SubNets, s)
	}
	c.SortByMACs()
	width := len(strconv.Itoa(n - 1))
	for i, s := range c.SubNets {
		s.Name = fmt.Sprintf("s%0*d", width, i)
	}
	return c, nil
}

// SortByMACs orders the catalog smallest first (ties by config, so the
// order is deterministic).
func (c *Catalog) SortByMACs() {
	macs := make(map[*SubNet]int64, len(c.SubNets))
	for _, s := range c.SubNets {
		macs[s] = s.MACs()
	}
	slices.SortStableFunc(c.SubNets, func(a, b *SubNet) int {
		return cmp.Or(cmp.Compare(macs[a], macs[b]), cmp.Compare(a.Config, b.Config))
	})
}

// Pareto returns the SubNets no other SubNet beats on both accuracy and
// latency (lower latency and at least the accuracy, or the same latency and
// higher accuracy), by latency ascending. latency is called once per
// SubNet; models knows no hardware, so the caller supplies it.
func (c *Catalog) Pareto(latency func(*SubNet) float64) []*SubNet {
	type point struct {
		s   *SubNet
		lat float64
	}
	pts := make([]point, len(c.SubNets))
	for i, s := range c.SubNets {
		pts[i] = point{s, latency(s)}
	}
	slices.SortStableFunc(pts, func(a, b point) int {
		return cmp.Or(cmp.Compare(a.lat, b.lat), cmp.Compare(b.s.Accuracy, a.s.Accuracy))
	})
	var out []*SubNet
	for _, p := range pts {
		if len(out) == 0 || p.s.Accuracy > out[len(out)-1].Accuracy {
			out = append(out, p.s)
		}
	}
	return out
}

// ParetoCatalog is Pareto as a Catalog of the same SuperNet.
func (c *Catalog) ParetoCatalog(latency func(*SubNet) float64) *Catalog {
	return &Catalog{Net: c.Net, SubNets: c.Pareto(latency)}
}
