package models

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// Hand-computed SubGraph algebra on a three-layer SuperNet.
func TestSliceAlgebraByHand(t *testing.T) {
	a := Slice{K: 8, C: 4, R: 3}
	b := Slice{K: 4, C: 8, R: 3} // not nested with a
	assert.Equal(t, int64(8*4*9), a.Weights())
	assert.Equal(t, Slice{4, 4, 3}, a.Meet(b))
	assert.Equal(t, Slice{8, 8, 3}, a.join(b))
	assert.Equal(t, a, a.join(Slice{}), "joining nothing")
	assert.True(t, Slice{0, 3, 3}.Empty())
	// Centre slices of an elastic kernel: 7x7 and 3x3 share the 3x3.
	assert.Equal(t, Slice{16, 1, 3}, Slice{16, 1, 7}.Meet(Slice{32, 1, 3}))
}

func TestSubGraphAlgebraByHand(t *testing.T) {
	// Layer 0: 8x4x3x3 conv, layer 1: 16x8 1x1 conv, layer 2: dw 16x1x5x5.
	g := SubGraphOf(3, []Layer{
		{ID: 0, Kind: Conv, K: 8, C: 4, R: 3, Stride: 1, H: 8},
		{ID: 1, Kind: Conv, K: 16, C: 8, R: 1, Stride: 1, H: 8},
		{ID: 2, Kind: Depthwise, K: 16, C: 1, R: 5, Stride: 1, H: 8},
	})
	// h: nested in g on layer 0, wider in C but narrower in K on layer 1,
	// a smaller kernel on layer 2.
	h := SubGraphOf(3, []Layer{
		{ID: 0, Kind: Conv, K: 4, C: 4, R: 3, Stride: 1, H: 8},
		{ID: 1, Kind: Conv, K: 8, C: 12, R: 1, Stride: 1, H: 8},
		{ID: 2, Kind: Depthwise, K: 8, C: 1, R: 3, Stride: 1, H: 8},
	})
	// |g| = 288 + 128 + 400 = 816; |h| = 144 + 96 + 72 = 312.
	assert.Equal(t, int64(816), g.Weights())
	assert.Equal(t, int64(312), h.Weights())
	// g∩h: 4x4x9 = 144, 8x8 = 64, 8x1x9 = 72 -> 280.
	i := g.Intersect(h)
	assert.Equal(t, int64(280), i.Weights())
	assert.Equal(t, int64(280), g.IntersectWeights(h))
	assert.Equal(t, Slice{8, 8, 1}, i.At(1))
	// Exact union: 816 + 312 - 280 = 848. The bounding Union holds more on
	// layer 1: 16x12 = 192 instead of 128 + 96 - 64 = 160.
	assert.Equal(t, int64(848), g.UnionWeights(h))
	u := g.Union(h)
	assert.Equal(t, Slice{16, 12, 1}, u.At(1))
	assert.Equal(t, int64(288+192+400), u.Weights())
	assert.True(t, u.Contains(g))
	assert.True(t, u.Contains(h))
	assert.False(t, g.Contains(h), "h's channels 8..11 of layer 1 are not in g")
	assert.True(t, g.Contains(i))
	assert.True(t, h.Contains(i))
	// Per-layer share of a layer that g holds partly.
	assert.Equal(t, int64(8*8), g.LayerWeights(Layer{ID: 1, Kind: Conv, K: 8, C: 12, R: 1}))
	// With: replace one layer's slice, leaving g untouched.
	g2 := g.With(2, Slice{})
	assert.Equal(t, int64(416), g2.Weights())
	assert.Equal(t, int64(816), g.Weights())
	// Equality ignores how emptiness is spelled and the SubGraph's length.
	assert.True(t, NewSubGraph(3).Equal(SubGraph{}))
	assert.True(t, g2.Equal(g2.With(2, Slice{K: 5})), "K=5 with C=0 is still empty")
	assert.False(t, g.Equal(h))
	assert.True(t, SubGraph{}.Empty())
	assert.Equal(t, Slice{}, g.At(7))
	assert.Equal(t, Slice{}, g.At(-1))
}

// Two SubNet layers on the same SuperNet layer (never in OFA, but a
// SubGraph of a list of layers must still bound them) join.
func TestSubGraphOfJoinsRepeatedIDs(t *testing.T) {
	g := SubGraphOf(1, []Layer{{ID: 0, K: 4, C: 8, R: 1}, {ID: 0, K: 8, C: 2, R: 1}})
	assert.Equal(t, Slice{8, 8, 1}, g.At(0))
}

func TestSubGraphWithOutOfRange(t *testing.T) {
	g := SubGraph{}.With(2, Slice{1, 1, 1})
	assert.Equal(t, 3, g.Len())
	assert.Equal(t, int64(1), g.Weights())
	assert.Equal(t, 3, g.With(-1, Slice{4, 4, 4}).Len())
	assert.Equal(t, int64(1), g.With(-1, Slice{4, 4, 4}).Weights())
}
