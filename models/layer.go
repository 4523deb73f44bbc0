package models

import "fmt"

// Kind says how a layer's weights map onto input and output channels, which
// decides both its MAC count and how two slices of it intersect.
type Kind uint8

const (
	// Conv is a dense convolution: K filters of C x R x R weights.
	Conv Kind = iota
	// Depthwise is a depthwise convolution: K filters of 1 x R x R weights,
	// one per channel (C is stored as 1).
	Depthwise
	// Linear is a fully connected layer: K x C weights (R = 1, H = 1).
	Linear
)

func (k Kind) String() string {
	switch k {
	case Conv:
		return "conv"
	case Depthwise:
		return "dwconv"
	case Linear:
		return "fc"
	}
	return fmt.Sprintf("kind(%d)", uint8(k))
}

// Layer is one weight layer of a SubNet, placed in its SuperNet by ID.
// Shapes are in elements; byte sizes are the accelerator's business
// (it knows the data width).
type Layer struct {
	ID     int32 // SuperNet layer id: index into SuperNet.Layers
	Kind   Kind
	K      int32 // output channels (filters)
	C      int32 // input channels per group: 1 for depthwise
	R      int32 // kernel height = width (R = S)
	Stride int32
	H      int32 // input feature map height = width (1 for Linear)
}

// Pad is the zero padding OFA uses: "same" padding for odd kernels.
func (l Layer) Pad() int32 { return l.R / 2 }

// OutH is the output feature map height = width.
func (l Layer) OutH() int32 {
	if l.Kind == Linear {
		return 1
	}
	return (l.H+2*l.Pad()-l.R)/l.Stride + 1
}

// Weights is the number of weight elements (biases and batch-norm
// parameters are not weights here: they are folded or negligible).
func (l Layer) Weights() int64 {
	return int64(l.K) * int64(l.C) * int64(l.R) * int64(l.R)
}

// MACs is the multiply-accumulate count of one inference (batch 1).
func (l Layer) MACs() int64 {
	o := int64(l.OutH())
	return l.Weights() * o * o
}

// InChannels is the number of input feature-map channels the layer reads.
func (l Layer) InChannels() int32 {
	if l.Kind == Depthwise {
		return l.K
	}
	return l.C
}

// InActs is the number of input activation elements.
func (l Layer) InActs() int64 {
	return int64(l.InChannels()) * int64(l.H) * int64(l.H)
}

// OutActs is the number of output activation elements.
func (l Layer) OutActs() int64 {
	o := int64(l.OutH())
	return int64(l.K) * o * o
}

// Shape is a compact notation for a conv layer's shape:
// KxCxR@H, with "/2" for stride 2 (and "/s" for other strides).
func (l Layer) Shape() string {
	s := fmt.Sprintf("%dx%dx%d@%d", l.K, l.C, l.R, l.H)
	if l.Kind == Depthwise {
		s = "dw" + s
	}
	if l.Kind == Linear {
		s = fmt.Sprintf("fc%dx%d", l.K, l.C)
	}
	if l.Stride > 1 {
		s += fmt.Sprintf("/%d", l.Stride)
	}
	return s
}
