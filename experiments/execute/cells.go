package execute

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"math/bits"

	"github.com/sushisim/sushisim/engine"
	"github.com/sushisim/sushisim/experiments/config"
	"github.com/sushisim/sushisim/experiments/results"
	"github.com/sushisim/sushisim/workloads"
)

// cellPlan is how one datacenter cell runs: its share of the instances and
// of the queries, its own random streams, its autoscaler and windows.
type cellPlan struct {
	index     int
	settings  config.Settings // the point's settings with the cell's instances and workload
	wseed     uint64          // seed of the cell's arrivals and needs
	pseed     uint64          // seed of the cell's policies and service times
	keep      func(q *workloads.Query) bool
	autoscale *engine.Autoscale
	windowNs  int64
}

// CellSeed is the seed of cell c's own random streams in a task with seed
// seed: a function of the two only, so a cell draws the same numbers
// whichever process, task or worker runs it.
func CellSeed(seed uint64, c int) uint64 {
	return engine.Stream(seed, fmt.Sprintf("cell/%d", c)).Uint64()
}

// newCellPlan resolves task t's cell of point px. Without [datacenter]
// (one cell) it is the point itself, on the task's seed, with any
// autoscaler and windows the file asks for.
func newCellPlan(px *config.Settings, t results.Task) *cellPlan {
	d := &px.Datacenter
	cp := &cellPlan{index: t.Cell, settings: *px, wseed: t.Seed, pseed: t.Seed, windowNs: secondsNs(d.WindowS)}
	if a := d.Autoscale; a.IntervalS > 0 {
		cp.autoscale = &engine.Autoscale{IntervalNs: secondsNs(a.IntervalS), Target: a.Target, Band: a.Band,
			WakeNs: secondsNs(a.WakeS), Min: a.Min, Initial: a.Initial}
	}
	if d.Cells <= 1 {
		return cp
	}
	s := &cp.settings
	n := d.Sizes[t.Cell]
	s.Cluster.Instances = n
	s.Groups = []config.Group{px.Groups[0]}
	s.Groups[0].Count = n
	cp.pseed = CellSeed(t.Seed, t.Cell)
	if d.Split == config.SplitRate {
		// an independent process at the cell's share of the rate (exact:
		// config.RateSplitExact)
		w := d.Weight(t.Cell)
		s.Workload.Arrival.Rate *= w
		s.Workload.Needs.Locality = config.CellLocality(s.Workload.Needs.Locality, w)
		cp.wseed = cp.pseed
		return cp
	}
	switch d.FrontEnd {
	case config.FrontClass, config.FrontTenant:
		// the whole stream, keeping the cell's part: [workload.split]'s rule
		s.Workload.Split = workloads.SplitConfig{Parts: d.Cells, Part: t.Cell, By: d.FrontEnd}
	default:
		cp.keep = frontEnd(d, t.Cell)
	}
	return cp
}

func secondsNs(s float64) int64 { return int64(math.Round(s * 1e9)) }

// frontEnd is the random front end's rule for cell c: a hash of the
// query's index in the whole stream, weighted by cell sizes.
func frontEnd(d *config.Datacenter, c int) func(q *workloads.Query) bool {
	// instance slot j = floor(h * N / 2^64) of the N instances is uniform
	// for a uniform 64-bit h; the cell that holds slot j keeps the query,
	// so cell c keeps a fraction Sizes[c]/N exactly as the rate split does
	total, lo := 0, 0
	for i, n := range d.Sizes {
		if i < c {
			lo += n
		}
		total += n
	}
	hi := lo + d.Sizes[c]
	return func(q *workloads.Query) bool {
		j, _ := bits.Mul64(workloads.QueryHash(q.ID), uint64(total))
		return int(j) >= lo && int(j) < hi
	}
}

// cellSource is the whole stream with only one cell's queries.
type cellSource struct {
	src  workloads.Source
	keep func(q *workloads.Query) bool
}

func (s *cellSource) Next(q *workloads.Query) bool {
	for s.src.Next(q) {
		if s.keep(q) {
			return true
		}
	}
	return false
}

// cellRecord is a cell's engine.Metrics in a task file: counters as they
// are, sketches in DDSketch's own encoding, so merging cells later is the
// merge of the runs themselves.
type cellRecord struct {
	Metrics engine.Metrics `json:"metrics"`
	Sketch  []byte         `json:"sketch"`
	Windows []cellWindow   `json:"windows,omitempty"`
}

type cellWindow struct {
	engine.Window
	Sketch []byte `json:"sketch"`
}

func encodeCell(m *engine.Metrics) (json.RawMessage, error) {
	r := cellRecord{Metrics: *m, Sketch: engine.EncodeSketch(m.Latency)}
	for _, w := range m.Series {
		r.Windows = append(r.Windows, cellWindow{Window: w, Sketch: engine.EncodeSketch(w.Latency)})
	}
	return json.Marshal(&r)
}

func decodeCell(b json.RawMessage) (*engine.Metrics, error) {
	var r cellRecord
	// unknown fields are refused: a cell written by a binary whose counters
	// had other names must not decode as zeros and merge silently
	d := json.NewDecoder(bytes.NewReader(b))
	d.DisallowUnknownFields()
	if err := d.Decode(&r); err != nil {
		return nil, err
	}
	m := r.Metrics
	var err error
	if m.Latency, err = engine.DecodeSketch(r.Sketch); err != nil {
		return nil, fmt.Errorf("latency sketch: %w", err)
	}
	for i, w := range r.Windows {
		if w.Latency, err = engine.DecodeSketch(w.Sketch); err != nil {
			return nil, fmt.Errorf("window %d's latency sketch: %w", i, err)
		}
		m.Series = append(m.Series, w.Window)
	}
	return &m, nil
}
