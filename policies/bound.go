package policies

import (
	"fmt"

	"github.com/sushisim/sushisim/accel"
	"github.com/sushisim/sushisim/models"
)

// Bounds on off-chip traffic. Both are lower bounds on the DRAM bytes
// (service plus PB reloads, the first fill included when it is paid) that a
// cache policy moves while one accelerator serves a given sequence of
// SubNets at batch 1; neither is a policy. Tests hold every online policy
// (none, static, lru, sgs, lookahead) above them on randomised instances.

// FreeReloadBytes is the fewest off-chip bytes one batch-1 service of
// SubNet s can move on hw, whatever SubGraph the PB holds, reloads being
// free: the activation traffic s moves with all its weights on chip, plus
// the weights that cannot be on chip, max(0, weight bytes - PB bytes).
//
// Why it bounds: per layer, off-chip bytes are the streamed weights plus
// activation traffic, and activation traffic only falls as more of the
// layer is resident (a spilled input is re-streamed once per weight-buffer
// load, accel's cost model), so it is least with everything resident; the
// streamed weights sum to the SubNet's weight bytes minus the PB hits, and
// the hits cannot exceed the PB. Summed over a sequence it bounds every
// cache schedule of any SubGraphs, reloads and first fill aside.
func FreeReloadBytes(hw *accel.Hardware, s *models.SubNet, layers int) int64 {
	all := hw.Cost(s, models.SubGraphOf(layers, s.Layers))
	return all.OffchipBytes + max(0, all.WeightBytes-hw.PBBytes)
}

// ScheduleOptions are the accounting switches an offline schedule is
// costed under; they mirror the engine's.
type ScheduleOptions struct {
	// WarmStart: the first resident SubGraph is loaded before the first
	// query at no cost ([cluster] warm_start). Otherwise the PB starts
	// empty and the first fill is paid like any reload.
	WarmStart bool
	// WriteAllocate: a change made right after serving SubNet s reads from
	// DRAM only what s did not stream (accel.Hardware.FillCost), as LRU's
	// write_allocate option does. Otherwise a change is a full reload
	// (accel.Hardware.ReloadCost).
	WriteAllocate bool
}

// OptimalSchedule is the offline optimum of the caching problem for a
// known sequence of served SubNets on one batch-1 accelerator: the
// schedule of resident SubGraphs, each drawn from cands, that moves the
// fewest off-chip bytes (service plus reloads). Residency may change after
// any query, as the engine allows. It is exact over cands, by dynamic
// programming over (query, resident candidate): O(len(seq) x len(cands)^2)
// time, O(len(seq) x len(cands)) memory for the schedule, so it is meant
// for small instances (tests, offline analysis), not the hot path.
//
// It returns the least total bytes and one schedule achieving it:
// schedule[i] is the index in cands resident while seq[i] is served. The
// result bounds every policy whose residents all lie in cands: pass the
// SubGraphs those policies adopted (and the empty one) to bound them.
func OptimalSchedule(hw *accel.Hardware, cat *Catalog, seq []int32, cands []models.SubGraph, opt ScheduleOptions) (int64, []int, error) {
	nc := len(cands)
	if nc == 0 {
		return 0, nil, fmt.Errorf("bound: no candidate SubGraphs")
	}
	for c, g := range cands {
		if !hw.PBFits(g) {
			return 0, nil, fmt.Errorf("bound: candidate %d holds %d bytes, more than the %d-byte PB", c, hw.WeightBytes(g.Weights()), hw.PBBytes)
		}
	}
	for i, s := range seq {
		if s < 0 || int(s) >= len(cat.SubNets) {
			return 0, nil, fmt.Errorf("bound: query %d serves SubNet %d, not in the %d-SubNet catalog", i, s, len(cat.SubNets))
		}
	}
	service := make([][]int64, nc) // service[c][s]
	for c, g := range cands {
		service[c] = make([]int64, len(cat.SubNets))
		for s, sn := range cat.SubNets {
			service[c][s] = hw.Cost(sn, g).OffchipBytes
		}
	}
	move := newMoveCost(hw, cat, cands, opt.WriteAllocate)
	empty := models.SubGraph{}
	v := make([]int64, nc) // v[c]: least bytes so far with c resident for the next query
	for c, g := range cands {
		if !opt.WarmStart {
			v[c] = hw.ReloadCost(empty, g).OffchipBytes
		}
	}
	from := make([][]int32, len(seq)) // from[i][c]: resident at query i-1 when c is resident at i
	next := make([]int64, nc)
	for i, s := range seq {
		if i > 0 {
			from[i] = make([]int32, nc)
			for to := range nc {
				best, arg := int64(-1), int32(0)
				for c := range nc {
					if x := v[c] + move.bytes(seq[i-1], c, to); best < 0 || x < best {
						best, arg = x, int32(c)
					}
				}
				next[to], from[i][to] = best, arg
			}
			copy(v, next)
		}
		for c := range nc {
			v[c] += service[c][s]
		}
	}
	best, arg := v[0], 0
	for c := 1; c < nc; c++ {
		if v[c] < best {
			best, arg = v[c], c
		}
	}
	if len(seq) == 0 {
		return 0, nil, nil
	}
	schedule := make([]int, len(seq))
	for i := len(seq) - 1; i >= 0; i-- {
		schedule[i] = arg
		if i > 0 {
			arg = int(from[i][arg])
		}
	}
	return best, schedule, nil
}

// moveCost is the off-chip bytes of changing the resident candidate, right
// after a SubNet was served: one table when reloads are full, one per
// served SubNet under write-allocate.
type moveCost struct {
	full [][]int64   // full[c][to]
	fill [][][]int64 // fill[s][c][to]
}

func newMoveCost(hw *accel.Hardware, cat *Catalog, cands []models.SubGraph, writeAllocate bool) *moveCost {
	table := func(cost func(a, b models.SubGraph) int64) [][]int64 {
		t := make([][]int64, len(cands))
		for c, a := range cands {
			t[c] = make([]int64, len(cands))
			for to, b := range cands {
				if !a.Equal(b) {
					t[c][to] = cost(a, b)
				}
			}
		}
		return t
	}
	m := &moveCost{}
	if !writeAllocate {
		m.full = table(func(a, b models.SubGraph) int64 { return hw.ReloadCost(a, b).OffchipBytes })
		return m
	}
	for _, g := range cat.Graphs {
		m.fill = append(m.fill, table(func(a, b models.SubGraph) int64 { return hw.FillCost(a, b, g).OffchipBytes }))
	}
	return m
}

func (m *moveCost) bytes(served int32, c, to int) int64 {
	if m.fill != nil {
		return m.fill[served][c][to]
	}
	return m.full[c][to]
}
