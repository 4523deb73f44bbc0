package policies

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sushisim/sushisim/accel"
	"github.com/sushisim/sushisim/models"
)

// boundInstance is a small random caching problem: 3-4 SubNets sampled from
// OFA-ResNet50, a ZCU104 with a PB between 0.5 and 8 MiB, and as candidate
// SubGraphs the empty one, each SubNet's best packing (static "<name>") and
// the pairwise intersections of those packings.
type boundInstance struct {
	hw    *accel.Hardware
	cat   *Catalog
	cands []models.SubGraph
}

func newBoundInstance(t *testing.T, seed uint64) boundInstance {
	t.Helper()
	r := pcg(seed, 7)
	net, err := models.Lookup("ofa-resnet50")
	require.NoError(t, err)
	sample, err := models.SampleCatalog(net, 3+r.IntN(2), r)
	require.NoError(t, err)
	cat := NewCatalog(sample.SubNets)
	hw := zcu(t, int64(512<<10)+r.Int64N(15*(512<<10)))
	cands := []models.SubGraph{models.NewSubGraph(cat.Layers())}
	var packs []models.SubGraph
	for _, s := range cat.SubNets {
		g := buildCache(t, &StaticSpec{SubGraph: s.Name}, &Env{Catalog: cat, Hardware: hw}).Resident()
		packs = append(packs, g)
	}
	cands = append(cands, packs...)
	for i := range packs {
		for j := i + 1; j < len(packs); j++ {
			cands = append(cands, packs[i].Intersect(packs[j]))
		}
	}
	return boundInstance{hw: hw, cat: cat, cands: cands}
}

func randomSeq(r *rand.Rand, n, subnets int) []int32 {
	seq := make([]int32, n)
	for i := range seq {
		if i > 0 && r.Float64() < 0.5 {
			seq[i] = seq[i-1] // some locality, so staying put can pay
			continue
		}
		seq[i] = int32(r.IntN(subnets))
	}
	return seq
}

// OptimalSchedule is checked against exhaustive enumeration of every
// schedule (len(cands)^len(seq) of them) costed by scheduleBytes, under
// each accounting option, on random instances; the free-reload bound is
// checked to stay at or under the optimum.
func TestOptimalScheduleMatchesBruteForce(t *testing.T) {
	for seed := uint64(1); seed <= 6; seed++ {
		in := newBoundInstance(t, seed)
		r := pcg(seed, 8)
		seq := randomSeq(r, 4, len(in.cat.SubNets))
		// keep enumeration small: at most 5 candidates
		cands := in.cands[:min(5, len(in.cands))]
		for _, opt := range []ScheduleOptions{{}, {WarmStart: true}, {WriteAllocate: true}, {WarmStart: true, WriteAllocate: true}} {
			got, sched, err := OptimalSchedule(in.hw, in.cat, seq, cands, opt)
			require.NoError(t, err)
			assert.Equal(t, got, scheduleBytes(in.hw, in.cat, seq, cands, sched, opt), "seed %d %+v: the schedule costs what it claims", seed, opt)
			brute := int64(-1)
			s := make([]int, len(seq))
			var walk func(i int)
			walk = func(i int) {
				if i == len(seq) {
					if b := scheduleBytes(in.hw, in.cat, seq, cands, s, opt); brute < 0 || b < brute {
						brute = b
					}
					return
				}
				for c := range cands {
					s[i] = c
					walk(i + 1)
				}
			}
			walk(0)
			assert.Equal(t, brute, got, "seed %d %+v", seed, opt)
			var free int64
			for _, x := range seq {
				free += FreeReloadBytes(in.hw, in.cat.SubNets[x], in.cat.Layers())
			}
			assert.LessOrEqual(t, free, got, "seed %d %+v: free-reload bound above the optimum", seed, opt)
		}
	}
}

// The free-reload bound is tight for one SubNet whose weights fit the PB
// with room to spare: with all of it resident, only activations move.
func TestFreeReloadBytesHandChecked(t *testing.T) {
	c := reference(t)
	s := c.SubNets[0]
	big := zcu(t, 64<<20)
	full := big.Cost(s, s.SubGraph())
	assert.Equal(t, full.OffchipBytes, FreeReloadBytes(big, s, c.Layers()))
	assert.Equal(t, full.WeightBytes, full.PBHitBytes, "everything resident")
	// a 1 MiB PB cannot hold the other 8.1 MB: at least that much streams
	small := zcu(t, 1<<20)
	assert.Equal(t, full.OffchipBytes+s.Weights()-(1<<20), FreeReloadBytes(small, s, c.Layers()))
	// and no packing of the PB beats it
	g := buildCache(t, &StaticSpec{SubGraph: s.Name}, &Env{Catalog: c, Hardware: small}).Resident()
	assert.GreaterOrEqual(t, small.Cost(s, g).OffchipBytes, FreeReloadBytes(small, s, c.Layers()))
}

func TestOptimalScheduleRejectsBadInput(t *testing.T) {
	in := newBoundInstance(t, 1)
	_, _, err := OptimalSchedule(in.hw, in.cat, []int32{0}, nil, ScheduleOptions{})
	assert.EqualError(t, err, "bound: no candidate SubGraphs")
	_, _, err = OptimalSchedule(in.hw, in.cat, []int32{0, 9}, in.cands, ScheduleOptions{})
	assert.ErrorContains(t, err, "bound: query 1 serves SubNet 9")
	huge := in.cat.Graphs[0].Union(in.cat.Graphs[1])
	_, _, err = OptimalSchedule(zcu(t, 1024), in.cat, []int32{0}, []models.SubGraph{huge}, ScheduleOptions{})
	assert.ErrorContains(t, err, "more than the 1024-byte PB")
}

// scheduleBytes costs one schedule (schedule[i] = index in cands resident
// while seq[i] is served) the way OptimalSchedule does, one
// query at a time: the independent tally the optimum is checked against.
func scheduleBytes(hw *accel.Hardware, cat *Catalog, seq []int32, cands []models.SubGraph, schedule []int, opt ScheduleOptions) int64 {
	var total int64
	prev := models.SubGraph{}
	for i, s := range seq {
		g := cands[schedule[i]]
		switch {
		case i == 0 && !opt.WarmStart:
			total += hw.ReloadCost(prev, g).OffchipBytes
		case i > 0 && !g.Equal(prev):
			if opt.WriteAllocate {
				total += hw.FillCost(prev, g, cat.Graphs[seq[i-1]]).OffchipBytes
			} else {
				total += hw.ReloadCost(prev, g).OffchipBytes
			}
		}
		total += hw.Cost(cat.SubNets[s], g).OffchipBytes
		prev = g
	}
	return total
}
