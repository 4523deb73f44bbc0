package accel

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"gonum.org/v1/gonum/optimize"

	"github.com/sushisim/sushisim/models"
)

// FitParam is a hardware option the calibration can fit: a TOML key under
// [accel], its bounds and its physical meaning.
type FitParam struct {
	Key     string
	Lo, Hi  float64
	Meaning string
	get     func(*Hardware) float64
	set     func(*Hardware, float64)
}

// fitParams are the options Calibrate may fit. Bounds are wide physical
// ranges, not targets: an overhead from nothing to 2 ms a call at 100 MHz,
// efficiencies from a few percent to the ideal.
var fitParams = []FitParam{
	{Key: "layer_overhead_cycles", Lo: 0, Hi: 2e5, Meaning: "fixed cost of one layer call (launch, driver, pipeline fill), fabric cycles",
		get: func(h *Hardware) float64 { return float64(h.LayerOverheadCycles) },
		set: func(h *Hardware, v float64) { h.LayerOverheadCycles = int64(math.Round(v)) }},
	{Key: "array_efficiency", Lo: 0.05, Hi: 1, Meaning: "share of the rounded array cycles that do work",
		get: func(h *Hardware) float64 { return h.ArrayEfficiency },
		set: func(h *Hardware, v float64) { h.ArrayEfficiency = v }},
	{Key: "dram_efficiency", Lo: 0.01, Hi: 1, Meaning: "effective share of the DRAM peak the data movement reaches",
		get: func(h *Hardware) float64 { return h.DRAMEfficiency },
		set: func(h *Hardware, v float64) { h.DRAMEfficiency = v }},
}

// DefaultFit are the parameters fitted when none are named: one per term of
// a layer call's time (fixed, compute, data movement).
var DefaultFit = []string{"layer_overhead_cycles", "array_efficiency", "dram_efficiency"}

// MaxFitParams bounds how many parameters one calibration may fit: with
// more, a few dozen layer timings no longer pin each one down.
const MaxFitParams = 4

func fitParam(key string) (FitParam, error) {
	for _, p := range fitParams {
		if p.Key == key {
			return p, nil
		}
	}
	keys := make([]string, len(fitParams))
	for i, p := range fitParams {
		keys[i] = p.Key
	}
	return FitParam{}, fmt.Errorf("fit: %q cannot be fitted (allowed: %s)", key, strings.Join(keys, ", "))
}

// LayerFit is one measured layer beside the model.
type LayerFit struct {
	Measurement
	ModelSec float64 // with every SubNet in the fit (in-sample)
	LOSOSec  float64 // fitted without this layer's SubNet (held out)
}

// SubNetFit sums one SubNet's measured layers.
type SubNetFit struct {
	Name                           string
	Index                          int // in the catalog
	Layers                         int
	MeasuredSec, ModelSec, LOSOSec float64
	LOSOValues                     []float64 // the parameters fitted without this SubNet
}

// Calibration is the result of fitting hardware options to measurements.
type Calibration struct {
	Base, Fitted   Hardware
	Params         []FitParam
	Values         []float64
	Layers         []LayerFit
	SubNets        []SubNetFit
	MAPE, LOSOMAPE float64 // per-layer mean absolute percentage error, in-sample and held out
	SumErr         float64 // largest |model/measured - 1| of a SubNet's summed latency, in-sample
}

// Calibrate fits params (FitParam keys, at most MaxFitParams) of base to
// the measured layers, each predicted by the cost model itself
// (LayerCosts of its SubNet with nothing resident: the measured engine
// keeps no weights between calls). Method: Nelder-Mead (gonum/optimize)
// on the sum of squared log errors, ln(model/measured), so every layer
// weighs by its relative error whatever its size; bounds hold by fitting
// u with x = lo + (hi-lo)/(1+e^-u); the search starts from the best point
// of a coarse grid (gridStart) and restarts once from its result. Leave-one-SubNet-out refits without
// each SubNet in turn and predicts it.
func Calibrate(base Hardware, catalog []*models.SubNet, ms []Measurement, params []string) (*Calibration, error) {
	if len(params) == 0 || len(params) > MaxFitParams {
		return nil, fmt.Errorf("fit: %d parameters: fit 1 to %d", len(params), MaxFitParams)
	}
	c := &Calibration{Base: base}
	for i, k := range params {
		p, err := fitParam(k)
		if err != nil {
			return nil, err
		}
		if slices.Contains(params[:i], k) {
			return nil, fmt.Errorf("fit: %q named twice", k)
		}
		c.Params = append(c.Params, p)
	}
	if err := base.Validate(); err != nil {
		return nil, err
	}
	if len(ms) == 0 {
		return nil, errors.New("calibrate: no measurements")
	}
	all := make([]bool, len(catalog))
	for _, m := range ms {
		all[m.SubNet] = true
	}
	var err error
	if c.Values, err = c.fit(catalog, ms, all); err != nil {
		return nil, err
	}
	c.Fitted = c.apply(c.Values)
	pred := predict(&c.Fitted, catalog, ms)
	c.Layers = make([]LayerFit, len(ms))
	for i, m := range ms {
		c.Layers[i] = LayerFit{Measurement: m, ModelSec: pred[i]}
	}
	for si, s := range catalog {
		if !all[si] {
			continue
		}
		train := slices.Clone(all)
		train[si] = false
		sf := SubNetFit{Name: s.Name, Index: si}
		if slices.Contains(train, true) {
			v, err := c.fit(catalog, ms, train)
			if err != nil {
				return nil, err
			}
			sf.LOSOValues = v
			h := c.apply(v)
			held := predict(&h, catalog, ms)
			for i, m := range ms {
				if m.SubNet == si {
					c.Layers[i].LOSOSec = held[i]
				}
			}
		}
		for _, l := range c.Layers {
			if l.SubNet == si {
				sf.Layers++
				sf.MeasuredSec += l.Sec
				sf.ModelSec += l.ModelSec
				sf.LOSOSec += l.LOSOSec
			}
		}
		c.SumErr = max(c.SumErr, math.Abs(sf.ModelSec/sf.MeasuredSec-1))
		c.SubNets = append(c.SubNets, sf)
	}
	for _, l := range c.Layers {
		c.MAPE += math.Abs(l.ModelSec/l.Sec - 1)
		c.LOSOMAPE += math.Abs(l.LOSOSec/l.Sec - 1)
	}
	c.MAPE /= float64(len(c.Layers))
	c.LOSOMAPE /= float64(len(c.Layers))
	return c, nil
}

// apply returns Base with the parameters set to values.
func (c *Calibration) apply(values []float64) Hardware {
	h := c.Base
	for i, p := range c.Params {
		p.set(&h, values[i])
	}
	return h
}

// fit minimises the squared log error over the measurements of the SubNets
// marked in use.
func (c *Calibration) fit(catalog []*models.SubNet, ms []Measurement, use []bool) ([]float64, error) {
	toX := func(u []float64) []float64 {
		x := make([]float64, len(u))
		for i, p := range c.Params {
			x[i] = p.Lo + (p.Hi-p.Lo)/(1+math.Exp(-u[i]))
		}
		return x
	}
	obj := func(u []float64) float64 {
		h := c.apply(toX(u))
		pred := predict(&h, catalog, ms)
		var sse float64
		for i, m := range ms {
			if use[m.SubNet] {
				d := math.Log(pred[i] / m.Sec)
				sse += d * d
			}
		}
		return sse
	}
	u := gridStart(len(c.Params), obj)
	for range 2 { // a restart from the first result: Nelder-Mead can stall
		res, err := optimize.Minimize(optimize.Problem{Func: obj}, u, nil, &optimize.NelderMead{})
		if err != nil {
			return nil, fmt.Errorf("calibrate: %w", err)
		}
		u = res.X
	}
	x := toX(u)
	for i, p := range c.Params { // store what the hardware holds (whole cycles)
		h := c.Base
		p.set(&h, x[i])
		x[i] = p.get(&h)
	}
	return x, nil
}

// gridStart is the best point of a coarse grid over the transformed
// space (startGrid per parameter): Nelder-Mead from a flat region (e.g. a
// bandwidth above the AXI ports' cap, which the model clamps) would never
// leave it, so the search starts where the objective has a slope.
func gridStart(n int, obj func([]float64) float64) []float64 {
	best, bestV := make([]float64, n), math.Inf(1)
	u := make([]float64, n)
	idx := make([]int, n)
	for {
		for i := range u {
			u[i] = startGrid[idx[i]]
		}
		if v := obj(u); v < bestV {
			bestV = v
			copy(best, u)
		}
		i := 0
		for ; i < n; i++ { // odometer over the grid
			if idx[i]++; idx[i] < len(startGrid) {
				break
			}
			idx[i] = 0
		}
		if i == n {
			return best
		}
	}
}

// startGrid is the start grid in u: x at 5, 12, 27, 50, 73, 88 and 95%
// of each parameter's range.
var startGrid = []float64{-3, -2, -1, 0, 1, 2, 3}

// predict is the model's latency, seconds, of each measured layer: the
// cost model's own per-layer cycles, nothing resident.
func predict(h *Hardware, catalog []*models.SubNet, ms []Measurement) []float64 {
	layers := make([][]LayerCost, len(catalog))
	out := make([]float64, len(ms))
	for i, m := range ms {
		if layers[m.SubNet] == nil {
			layers[m.SubNet] = h.LayerCosts(catalog[m.SubNet], models.SubGraph{})
		}
		out[i] = float64(layers[m.SubNet][m.Layer].Cycles) / (h.ClockMHz * 1e6)
	}
	return out
}
