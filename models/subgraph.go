package models

// Slice is the part of one SuperNet layer's weights a SubGraph holds. OFA
// shares weights as leading slices: the first K filters, the first C input
// channels, and the centre R x R of the kernel (OFA-MobileNetV3's elastic
// kernels take the centre of the 7 x 7). So two slices of the same layer
// intersect in (min K, min C, min R), and a slice is described by three
// numbers. The zero Slice holds nothing.
type Slice struct{ K, C, R int32 }

// Weights is the number of weight elements in the slice.
func (s Slice) Weights() int64 { return int64(s.K) * int64(s.C) * int64(s.R) * int64(s.R) }

// Empty reports whether the slice holds no weights.
func (s Slice) Empty() bool { return s.K == 0 || s.C == 0 || s.R == 0 }

// Meet is the slice both s and t hold: per dimension the smaller extent.
func (s Slice) Meet(t Slice) Slice {
	return Slice{min(s.K, t.K), min(s.C, t.C), min(s.R, t.R)}
}

func (s Slice) join(t Slice) Slice {
	if s.Empty() {
		return t
	}
	if t.Empty() {
		return s
	}
	return Slice{max(s.K, t.K), max(s.C, t.C), max(s.R, t.R)}
}

// SliceOf is the slice of its SuperNet layer that a SubNet layer uses.
func SliceOf(l Layer) Slice { return Slice{l.K, l.C, l.R} }

// SubGraph is a set of SuperNet weights: one leading Slice per SuperNet
// layer, indexed by layer ID. Every SubNet is also a SubGraph. SubGraph values
// are immutable: every operation returns a new one, so they can be shared
// read-only between accelerator instances.
type SubGraph struct {
	slices []Slice
}

// NewSubGraph returns an empty SubGraph over a SuperNet of n layers.
func NewSubGraph(n int) SubGraph { return SubGraph{slices: make([]Slice, n)} }

// SubGraphOf returns the SubGraph a list of layers occupies in a SuperNet of
// n layers.
func SubGraphOf(n int, layers []Layer) SubGraph {
	g := NewSubGraph(n)
	for _, l := range layers {
		g.slices[l.ID] = g.slices[l.ID].join(SliceOf(l))
	}
	return g
}

// Len is the number of SuperNet layers the SubGraph spans.
func (g SubGraph) Len() int { return len(g.slices) }

// At is the slice held of SuperNet layer id (the zero Slice if none, or if
// the SubGraph is the zero value).
func (g SubGraph) At(id int32) Slice {
	if int(id) >= len(g.slices) || id < 0 {
		return Slice{}
	}
	return g.slices[id]
}

// With returns a copy of g holding slice s of layer id, grown to span id if
// it did not (a negative id leaves the copy unchanged).
func (g SubGraph) With(id int32, s Slice) SubGraph {
	h := g.clone()
	if id < 0 {
		return h
	}
	for int(id) >= len(h.slices) {
		h.slices = append(h.slices, Slice{})
	}
	h.slices[id] = s
	return h
}

func (g SubGraph) clone() SubGraph {
	return SubGraph{slices: append([]Slice(nil), g.slices...)}
}

func (g SubGraph) combine(h SubGraph, f func(a, b Slice) Slice) SubGraph {
	n := max(len(g.slices), len(h.slices))
	out := NewSubGraph(n)
	for i := range out.slices {
		out.slices[i] = f(g.At(int32(i)), h.At(int32(i)))
	}
	return out
}

// Intersect is the set of weights both SubGraphs hold (exact, since the
// intersection of two leading slices is a leading slice).
func (g SubGraph) Intersect(h SubGraph) SubGraph {
	return g.combine(h, Slice.Meet)
}

// Union is the smallest SubGraph holding both: per layer the bounding leading
// slice (max K, max C, max R). It can hold more than the set union when two
// slices are not nested (one wider in K, the other in C), because a SubGraph
// is leading slices only; UnionWeights gives the exact set size.
func (g SubGraph) Union(h SubGraph) SubGraph {
	return g.combine(h, Slice.join)
}

// UnionWeights is the exact number of weights in the set union of g and h.
func (g SubGraph) UnionWeights(h SubGraph) int64 {
	return g.Weights() + h.Weights() - g.IntersectWeights(h)
}

// IntersectWeights is the number of weights g and h share, without building
// the intersection.
func (g SubGraph) IntersectWeights(h SubGraph) int64 {
	var w int64
	n := min(len(g.slices), len(h.slices))
	for i := 0; i < n; i++ {
		w += g.slices[i].Meet(h.slices[i]).Weights()
	}
	return w
}

// Weights is the number of weight elements held.
func (g SubGraph) Weights() int64 {
	var w int64
	for _, s := range g.slices {
		w += s.Weights()
	}
	return w
}

// LayerWeights is the number of l's weights that g holds.
func (g SubGraph) LayerWeights(l Layer) int64 {
	return g.At(l.ID).Meet(SliceOf(l)).Weights()
}

// Contains reports whether every weight of h is in g.
func (g SubGraph) Contains(h SubGraph) bool {
	return g.IntersectWeights(h) == h.Weights()
}

// Equal reports whether g and h hold the same weights.
func (g SubGraph) Equal(h SubGraph) bool {
	n := max(len(g.slices), len(h.slices))
	for i := 0; i < n; i++ {
		a, b := g.At(int32(i)), h.At(int32(i))
		if a.Empty() && b.Empty() {
			continue
		}
		if a != b {
			return false
		}
	}
	return true
}

// Empty reports whether g holds no weights.
func (g SubGraph) Empty() bool { return g.Weights() == 0 }

// SubGraphFromSlices builds a SubGraph holding slices[i] of layer i (the
// slice is copied, so the caller may reuse it).
func SubGraphFromSlices(slices []Slice) SubGraph {
	return SubGraph{slices: append([]Slice(nil), slices...)}
}
