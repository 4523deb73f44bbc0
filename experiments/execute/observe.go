package execute

import (
	"bufio"
	"compress/gzip"
	"fmt"
	"os"
	"strconv"

	"github.com/DataDog/sketches-go/ddsketch"

	"github.com/sushisim/sushisim/accel"
	"github.com/sushisim/sushisim/engine"
	"github.com/sushisim/sushisim/experiments/config"
	"github.com/sushisim/sushisim/experiments/results"
	"github.com/sushisim/sushisim/internal/atomicfile"
	"github.com/sushisim/sushisim/models"
	"github.com/sushisim/sushisim/policies"
	"github.com/sushisim/sushisim/workloads"
)

// observer records a run query by query, for a trace file and time
// series: it is the run's engine.Observer.
type observer struct {
	cat      *policies.Catalog
	classes  []workloads.NeedClass
	resident []int64           // bytes each instance's PB holds
	hardware []*accel.Hardware // of each instance: its bytes per weight

	windowNs int64
	windows  []results.Window
	tooMany  error // set when the windows passed config.MaxWindows
	cur      windowAcc

	trace     *bufio.Writer
	traceGz   *gzip.Writer
	traceFile *os.File
	tracePath string
	line      []byte

	// totals checked against engine.Metrics
	completed int64
	latSum    float64
	sloMet    int64
}

type windowAcc struct {
	index                int64
	out                  engine.Outcome // arrivals, drops, completions and needs met in the window
	latSum               float64
	offchip              int64 // service bytes of the window's completions
	hitBytes, weightByte int64
	reloads, reloadBytes int64
	sketch               *ddsketch.DDSketch
}

// newObserver makes the observer of spec's run and sets it as
// spec.Observer.
func newObserver(spec *engine.Spec, o *observe, classes []workloads.NeedClass) (*observer, error) {
	ob := &observer{cat: spec.Catalog, classes: classes, windowNs: o.windowNs}
	for i := range spec.Instances {
		is := &spec.Instances[i]
		ob.hardware = append(ob.hardware, is.Hardware)
		ob.resident = append(ob.resident, is.Hardware.WeightBytes(is.Cache.Resident().Weights()))
	}
	if o.windowNs > 0 {
		ob.cur.sketch = newSketch()
	}
	if o.tracePath != "" {
		if err := ob.openTrace(o.tracePath); err != nil {
			return nil, err
		}
	}
	spec.Observer = ob
	return ob, nil
}

func newSketch() *ddsketch.DDSketch {
	s, err := ddsketch.NewDefaultDDSketch(0.01)
	if err != nil {
		panic(err) // a constant, valid accuracy
	}
	return s
}

func (ob *observer) openTrace(path string) error {
	f, err := atomicfile.Create(path)
	if err != nil {
		return err
	}
	ob.traceFile, ob.tracePath = f, path
	ob.traceGz = gzip.NewWriter(f) // no name or time in the header: same run, same bytes
	ob.trace = bufio.NewWriterSize(ob.traceGz, 1<<16)
	for i, c := range results.TraceColumns {
		if i > 0 {
			ob.trace.WriteByte(',')
		}
		ob.trace.WriteString(c)
	}
	ob.trace.WriteByte('\n')
	return nil
}

// close drops an unfinished trace file (finish renames a complete one).
func (ob *observer) close() {
	if ob.traceFile != nil {
		ob.traceFile.Close()
		os.Remove(ob.traceFile.Name())
		ob.traceFile = nil
	}
}

// Arrived implements engine.Observer.
func (ob *observer) Arrived(now int64, _ *workloads.Query, _ int) {
	if ob.windowNs > 0 {
		ob.advance(now)
		ob.cur.out.Arrived++
	}
}

// Dropped implements engine.Observer: a dropped query has no trace row
// (the summary counts it).
func (ob *observer) Dropped(now int64, _ *workloads.Query, _ int) {
	if ob.windowNs > 0 {
		ob.advance(now)
		ob.cur.out.Dropped++
	}
}

// Completed implements engine.Observer.
func (ob *observer) Completed(now int64, q *workloads.Query, i int, s int32, c *accel.Cost) {
	lat := now - q.Arrival
	met := workloads.SLOMet(lat, q.SLO)
	acc := ob.cat.SubNets[s].Accuracy
	ob.completed++
	ob.latSum += float64(lat)
	if met {
		ob.sloMet++
	}
	if ob.windowNs > 0 {
		ob.advance(now)
		w := &ob.cur
		w.latSum += float64(lat)
		w.out.Served(met, workloads.AccuracyMet(acc, q.MinAccuracy), acc)
		w.offchip += c.OffchipBytes
		w.hitBytes += c.PBHitBytes
		w.weightByte += c.WeightBytes
		_ = w.sketch.Add(float64(lat) / 1e6)
	}
	if ob.trace != nil {
		b := ob.line[:0]
		b = strconv.AppendInt(b, q.ID, 10)
		b = append(b, ',')
		b = strconv.AppendFloat(b, float64(q.Arrival)/1e9, 'f', 9, 64)
		b = append(b, ',')
		b = strconv.AppendFloat(b, float64(now)/1e9, 'f', 9, 64)
		b = append(b, ',')
		b = strconv.AppendFloat(b, float64(lat)/1e6, 'f', 6, 64)
		b = append(b, ',')
		if q.Class >= 0 && int(q.Class) < len(ob.classes) && ob.classes[q.Class].Name != "" {
			b = append(b, ob.classes[q.Class].Name...)
		} else {
			b = strconv.AppendInt(b, int64(q.Class), 10)
		}
		b = append(b, ',')
		b = strconv.AppendInt(b, int64(q.Tenant), 10)
		b = append(b, ',')
		b = strconv.AppendFloat(b, q.MinAccuracy, 'g', -1, 64)
		b = append(b, ',')
		b = strconv.AppendFloat(b, float64(q.SLO)/1e6, 'g', -1, 64)
		b = append(b, ',')
		b = strconv.AppendBool(b, met)
		b = append(b, ',')
		b = strconv.AppendInt(b, int64(i), 10)
		b = append(b, ',')
		b = append(b, ob.cat.SubNets[s].Name...)
		b = append(b, ',')
		b = strconv.AppendFloat(b, acc, 'g', -1, 64)
		b = append(b, ',')
		b = strconv.AppendInt(b, c.PBHitBytes, 10)
		b = append(b, ',')
		b = strconv.AppendInt(b, c.WeightBytes, 10)
		b = append(b, '\n')
		ob.trace.Write(b)
		ob.line = b
	}
}

// Reloaded implements engine.Observer.
func (ob *observer) Reloaded(now int64, i int, resident models.SubGraph, c *accel.Cost) {
	ob.resident[i] = ob.hardware[i].WeightBytes(resident.Weights())
	if ob.windowNs > 0 {
		ob.advance(now)
		ob.cur.reloads++
		ob.cur.reloadBytes += c.OffchipBytes
	}
}

// advance closes every window that ended before now.
// Past config.MaxWindows it stops and finish reports the run: the limit
// a file is checked against may not see a trace's real length.
func (ob *observer) advance(now int64) {
	for now >= (ob.cur.index+1)*ob.windowNs && ob.tooMany == nil {
		if len(ob.windows) >= config.MaxWindows {
			ob.tooMany = fmt.Errorf("output.window_s: the run outlasted %d windows of %g s (config.MaxWindows): use a longer window_s",
				config.MaxWindows, float64(ob.windowNs)/1e9)
			return
		}
		ob.closeWindow()
	}
}

func (ob *observer) closeWindow() {
	w := &ob.cur
	row := results.Window{TS: float64(w.index*ob.windowNs) / 1e9, Arrived: w.out.Arrived, Completed: w.out.Completed,
		Dropped: w.out.Dropped, Reloads: w.reloads, ReloadBytes: w.reloadBytes}
	if r := float64(w.out.Completed + w.out.Dropped); r > 0 {
		row.SLOAttainment = float64(w.out.SLOMet) / r
		row.AccuracyNeedMet = float64(w.out.AccuracyMet) / r
		row.BothMet = float64(w.out.BothMet) / r
	}
	if w.out.Completed > 0 {
		n := float64(w.out.Completed)
		row.LatencyMsMean = w.latSum / n / 1e6
		if v, err := w.sketch.GetValueAtQuantile(0.99); err == nil {
			row.LatencyMsP99 = v
		}
		row.SLOAttainmentServed = float64(w.out.SLOMet) / n
		row.AccuracyMeanServed = w.out.AccuracySum / n
		row.OffchipBytesPerQuery = float64(w.offchip+w.reloadBytes) / n
	}
	if w.weightByte > 0 {
		row.PBHitFraction = float64(w.hitBytes) / float64(w.weightByte)
	}
	var res int64
	for _, b := range ob.resident {
		res += b
	}
	row.ResidentBytes = float64(res) / float64(len(ob.resident))
	ob.windows = append(ob.windows, row)
	*w = windowAcc{index: w.index + 1, sketch: w.sketch}
	w.sketch.Clear()
}

// finish checks the observed run against the engine's metrics, closes the
// last window and renames the trace into place.
func (ob *observer) finish(m *engine.Metrics) error {
	if ob.completed != m.Completed || ob.latSum != m.LatencyNsSum || ob.sloMet != m.SLOMet {
		return fmt.Errorf("per-query trace and time series disagree with the run's metrics "+
			"(observed %d completions, engine %d): a bug, please report it", ob.completed, m.Completed)
	}
	if ob.windowNs > 0 {
		ob.advance(m.End)
		if ob.tooMany != nil {
			return ob.tooMany
		}
		ob.closeWindow()
	}
	if ob.trace == nil {
		return nil
	}
	if err := ob.trace.Flush(); err != nil {
		return err
	}
	if err := ob.traceGz.Close(); err != nil {
		return err
	}
	f := ob.traceFile
	ob.traceFile = nil
	if err := f.Close(); err != nil {
		os.Remove(f.Name())
		return err
	}
	return atomicfile.Publish(f.Name(), ob.tracePath)
}
