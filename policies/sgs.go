package policies

import "github.com/sushisim/sushisim/models"

// SGS is SushiSched's SubGraph Stationary cache policy (SUSHI, MLSys 2023:
// f(Acc, Latency) -> (SN_t, C_{t+Q}); sushi-facts.md §5). Every Q served
// queries it looks at the last W served SubNets and chooses the SubGraph that
// saves the most off-chip weight traffic per unit of PB, within capacity:
//
//  1. start from the weights shared by every SubNet in the window (their
//     intersection) when that fits, else from nothing;
//  2. grow it greedily, one layer slice at a time — a knapsack over layers —
//     taking the slice with the highest gain per added weight, where gain is
//     the number of weights it would serve from the PB over the window
//     (frequency-weighted), until nothing more fits or helps;
//  3. adopt it only if the expected saving over the next Q queries exceeds
//     the weights the reload must fetch (the reload cost is charged against
//     the gain).
//
// The paper's exact rule, Q and W are not public: this construction, Q and W
// are parameters, recorded in docs/assumptions.md.
type SGS struct {
	q, w     int
	capacity int64 // PB capacity in weight elements
	cat      *Catalog

	window []int32 // ring buffer of the last w served SubNets
	next   int     // ring position
	filled int
	counts []int // occurrences of each catalog SubNet in the window
	since  int   // queries served since the last decision

	resident models.SubGraph
	// scratch reused across decisions, so deciding allocates only the new SubGraph
	present []int32
	slices  []models.Slice
	best    []option
}

type option struct {
	slice models.Slice
	add   int64
	gain  int64
}

func newSGS(cat *Catalog, q, w int, capacity int64, layers int) *SGS {
	return &SGS{
		q: q, w: w, capacity: capacity, cat: cat,
		window:   make([]int32, w),
		counts:   make([]int, len(cat.SubNets)),
		resident: models.NewSubGraph(layers),
		slices:   make([]models.Slice, layers),
		best:     make([]option, layers),
	}
}

// Resident is the SubGraph SGS last adopted.
func (s *SGS) Resident() models.SubGraph { return s.resident }

// Served records i in the window and, every Q queries, decides again.
func (s *SGS) Served(i int32) bool {
	if s.filled == s.w {
		s.counts[s.window[s.next]]--
	} else {
		s.filled++
	}
	s.window[s.next] = i
	s.counts[i]++
	s.next = (s.next + 1) % s.w
	s.since++
	if s.since < s.q {
		return false
	}
	s.since = 0
	cand := s.choose()
	gain := s.savedPerWindow(cand) - s.savedPerWindow(s.resident)
	// Expected weights saved over the next Q queries against weights fetched
	// to make cand resident.
	reload := cand.Weights() - cand.IntersectWeights(s.resident)
	if gain*int64(s.q) <= reload*int64(s.filled) || cand.Equal(s.resident) {
		return false
	}
	s.resident = cand
	return true
}

// savedPerWindow is the number of weights g serves from the PB over the
// window: the sum over window entries of their overlap with g.
func (s *SGS) savedPerWindow(g models.SubGraph) int64 {
	var w int64
	for i, c := range s.counts {
		if c > 0 {
			w += int64(c) * g.IntersectWeights(s.cat.Graphs[i])
		}
	}
	return w
}

// choose builds the candidate SubGraph for the current window.
func (s *SGS) choose() models.SubGraph {
	s.present = s.present[:0]
	for i, c := range s.counts {
		if c > 0 {
			s.present = append(s.present, int32(i))
		}
	}
	inter := s.cat.Graphs[s.present[0]]
	for _, i := range s.present[1:] {
		inter = inter.Intersect(s.cat.Graphs[i])
	}
	var used int64
	for l := range s.slices {
		s.slices[l] = models.Slice{}
	}
	if iw := inter.Weights(); iw <= s.capacity {
		for l := range s.slices {
			s.slices[l] = inter.At(int32(l))
		}
		used = iw
	}
	for l := range s.best {
		s.best[l] = s.bestOption(int32(l), s.capacity-used)
	}
	for {
		bl := -1
		for l := range s.best {
			o := &s.best[l]
			if o.gain <= 0 {
				continue
			}
			if bl < 0 || better(o, &s.best[bl]) {
				bl = l
			}
		}
		if bl < 0 {
			break
		}
		o := s.best[bl]
		if o.add > s.capacity-used { // capacity shrank since computed
			s.best[bl] = s.bestOption(int32(bl), s.capacity-used)
			continue
		}
		s.slices[bl] = o.slice
		used += o.add
		s.best[bl] = s.bestOption(int32(bl), s.capacity-used)
	}
	return models.SubGraphFromSlices(s.slices)
}

// better orders options by gain per added weight (cross-multiplied to stay
// exact), then by larger gain; equal options keep the lower layer id.
func better(a, b *option) bool {
	x, y := a.gain*b.add, b.gain*a.add
	if x != y {
		return x > y
	}
	return a.gain > b.gain
}

// bestOption is the best way to grow layer l's slice within room weights:
// extend it to cover one of the window SubNets' slices of that layer.
func (s *SGS) bestOption(l int32, room int64) option {
	cur := s.slices[l]
	var best option
	for _, i := range s.present {
		want := s.cat.Graphs[i].At(l)
		if want.Empty() {
			continue
		}
		next := models.Slice{K: max(cur.K, want.K), C: max(cur.C, want.C), R: max(cur.R, want.R)}
		add := next.Weights() - cur.Weights()
		if add <= 0 || add > room {
			continue
		}
		var gain int64
		for _, j := range s.present {
			have := s.cat.Graphs[j].At(l)
			gain += int64(s.counts[j]) * (meet(next, have).Weights() - meet(cur, have).Weights())
		}
		o := option{slice: next, add: add, gain: gain}
		if gain > 0 && (best.gain <= 0 || better(&o, &best)) {
			best = o
		}
	}
	return best
}

func meet(a, b models.Slice) models.Slice {
	return models.Slice{K: min(a.K, b.K), C: min(a.C, b.C), R: min(a.R, b.R)}
}
