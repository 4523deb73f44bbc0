package results

import (
	"fmt"
	"slices"
	"strings"
	"sync"
)

// FigureConfig is one [[figure]] as written in an experiment file; Figure
// is its validated form. It lives here, with the files it draws from, so
// that plots needs nothing but this package.
type FigureConfig struct {
	Name     string            `toml:"name"`     // file name without extension (default: fig<i>)
	Kind     string            `toml:"kind"`     // a registered kind: cdf | metric | scatter | energy | timeseries | policies
	Title    string            `toml:"title"`    // default: made from the kind and columns
	X        string            `toml:"x"`        // metric: a swept key; energy: the category column
	Y        string            `toml:"y"`        // metric: a summary column; timeseries: a time-series column
	Series   string            `toml:"series"`   // the column whose values make separate lines (default "policy")
	Baseline string            `toml:"baseline"` // metric: plot y relative to this policy at the same point and replication
	Compare  string            `toml:"compare"`  // with baseline: saving (default) | gain | difference | ratio
	Filter   map[string]any    `toml:"filter"`   // column = value or [values]: keep only matching rows
	XLabel   string            `toml:"x_label"`  // axis labels (default: the column and its unit)
	YLabel   string            `toml:"y_label"`
	XScale   float64           `toml:"x_scale"` // divide x values by this (e.g. 1048576 to show bytes as MiB)
	YScale   float64           `toml:"y_scale"` // divide y values by this
	LogX     bool              `toml:"log_x"`
	LogY     bool              `toml:"log_y"`
	Width    string            `toml:"width"`     // column (3.33 in, the default for one panel) | page (7 in, the default for panels)
	WidthIn  float64           `toml:"width_in"`  // figure size, inches: overrides width
	HeightIn float64           `toml:"height_in"` //
	Panels   string            `toml:"panels"`    // metric: a column whose values make side-by-side panels (a), (b), ...
	Label    map[string]string `toml:"label"`     // legend and panel labels by value: { sgs = "SGS (ours)" }
	MarksX   []float64         `toml:"marks_x"`   // dashed vertical lines at these x values (e.g. phase starts), in the x axis' units
}

// Figure is a validated [[figure]].
type Figure struct {
	FigureConfig
	Filters []Filter
}

// Filter keeps rows whose column has one of the values (as written in the
// result files).
type Filter struct {
	Column string
	Values []string
}

// FigureFormats are the file formats a figure may be drawn in ([output]
// formats, sushisim plot --format), by extension.
var FigureFormats = []string{"png", "svg", "pdf"}

// Comparisons of a figure against a baseline policy.
const (
	CompareSaving     = "saving"     // 100 (b - v) / b: percent less than the baseline (latency, energy, bytes)
	CompareGain       = "gain"       // 100 (v - b) / b: percent more
	CompareDifference = "difference" // v - b, in the column's unit
	CompareRatio      = "ratio"      // v / b
)

// Compares lists the comparisons a baseline figure may name.
var Compares = []string{CompareSaving, CompareGain, CompareDifference, CompareRatio}

// Columns are what a figure's keys may name in the results of one
// experiment: string columns (names, point, replication, swept keys),
// numeric summary columns, swept keys and time-series columns.
type Columns struct {
	Strings, Numbers, Swept, Windows []string
}

// FigureKind is what validation knows of a kind of figure: its name,
// whether it compares against a baseline policy, and the check of its own
// keys (x and y). Check returns nil or errors that start with the key they
// are about, "x: ...", joined.
//
// The registry lives here, not in plots, so that loading an experiment
// file (package config) knows every kind without importing plots and the
// simulator is not needed to draw: plots registers each kind it draws
// (plots.Register) with its check, once, at init.
type FigureKind struct {
	Name     string
	Compares bool // takes baseline = "<policy>" and compare
	Check    func(f *Figure, cols Columns) error
}

var kinds struct {
	sync.RWMutex
	order  []string
	byName map[string]FigureKind
}

// RegisterFigureKind adds a kind; registering a name twice, or a kind
// without a Check, is a programming error and panics.
func RegisterFigureKind(k FigureKind) {
	kinds.Lock()
	defer kinds.Unlock()
	if kinds.byName == nil {
		kinds.byName = map[string]FigureKind{}
	}
	if _, dup := kinds.byName[k.Name]; dup || k.Name == "" || k.Check == nil {
		panic(fmt.Sprintf("results: figure kind %q registered twice, or without a name or a Check", k.Name))
	}
	kinds.byName[k.Name] = k
	kinds.order = append(kinds.order, k.Name)
}

// FigureKinds lists the registered kinds in registration order.
func FigureKinds() []string {
	kinds.RLock()
	defer kinds.RUnlock()
	return slices.Clone(kinds.order)
}

// LookupFigureKind finds a registered kind.
func LookupFigureKind(name string) (FigureKind, bool) {
	kinds.RLock()
	defer kinds.RUnlock()
	k, ok := kinds.byName[name]
	return k, ok
}

// NeedKey is a Check helper: key must be set to one of allowed (what names
// what it is, e.g. "a swept key").
func NeedKey(f *Figure, key, v string, allowed []string, what string) error {
	switch {
	case v == "":
		return fmt.Errorf("%s: required for kind %q: %s (allowed: %s)", key, f.Kind, what, strings.Join(allowed, ", "))
	case !slices.Contains(allowed, v):
		return fmt.Errorf("%s: %q is not %s (allowed: %s)", key, v, what, strings.Join(allowed, ", "))
	}
	return nil
}

// NoKey is a Check helper: key must be left out, because the kind why.
func NoKey(f *Figure, key, v, why string) error {
	if v != "" {
		return fmt.Errorf("%s: kind %q %s; leave %s out", key, f.Kind, why, key)
	}
	return nil
}
