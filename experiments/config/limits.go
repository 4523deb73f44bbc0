package config

import (
	"fmt"
	"math"
	"regexp"
	"strings"

	"github.com/sushisim/sushisim/workloads"
)

// Names of experiments, policies, groups and figures become directory
// names, file names and CSV cells: a safe set keeps a name from climbing out
// of results/ ("../x"), from hiding (a leading '.'), from breaking a CSV row
// (a NUL, a newline or a comma) or from passing validation and then failing
// at mkdir (an over-long name).
const (
	MaxNameLen   = 64
	nameAllowed  = "letters, digits, '.', '_' and '-', not starting with '.', at most 64 characters"
	nameCharsSet = `A-Za-z0-9._-`
)

var safeNameRE = regexp.MustCompile(`^[` + nameCharsSet + `]+$`)

// CheckName reports why s cannot name an experiment, policy, group or
// figure, or nil.
func CheckName(s string) error {
	switch {
	case s == "":
		return fmt.Errorf("empty (allowed: %s)", nameAllowed)
	case len(s) > MaxNameLen:
		return fmt.Errorf("too long, %d characters (%q...) (allowed: %s)", len(s), s[:16], nameAllowed)
	case !safeNameRE.MatchString(s):
		return fmt.Errorf("character %q not allowed in %q (allowed: %s)", firstBad(s), s, nameAllowed)
	case s[0] == '.':
		return fmt.Errorf("leading '.' not allowed in %q (allowed: %s)", s, nameAllowed)
	}
	return nil
}

func firstBad(s string) rune {
	for _, r := range s {
		if !safeNameRE.MatchString(string(r)) {
			return r
		}
	}
	return 0
}

// SafeName turns a file's base name into a valid default name: characters
// outside the safe set become '-', a leading '.' is dropped, and the result
// is cut to MaxNameLen ("my exp.toml" names "my-exp").
func SafeName(s string) string {
	s = strings.TrimLeft(s, ".")
	b := []rune(s)
	for i, r := range b {
		if !safeNameRE.MatchString(string(r)) {
			b[i] = '-'
		}
	}
	s = string(b)
	if len(s) > MaxNameLen {
		s = s[:MaxNameLen]
	}
	if s == "" {
		s = "experiment"
	}
	return s
}

// Hard ceilings on what one plan may ask for. They sit far above any
// experiment in docs/ (the largest: 1,000 instances, 10^7 queries a run,
// 10 replications) and far below what takes a machine down: each stops a
// typo (a missing unit, an extra exponent) before it allocates anything.
const (
	MaxReplications = 10000
	MaxPoints       = 100000  // sweep points: a typo (a list of 10,000 by another of 10,000) is an error, not hours of checking
	MaxTasks        = 1000000 // points x replications x cells: each task is a file in points/ and an entry of the plan
	MaxInstances    = 100000  // per point, over every group
	MaxQueries      = 1e9     // queries per run, given or expected (rate x duration)
	MaxDurationS    = 1e8     // about 3.2 years of simulated time; int64 ns holds 292 years
	MaxRate         = 1e9     // queries/s: one per ns, the clock's resolution
	MaxWindows      = 1000000 // time-series windows per run
	MaxSLOMs        = 1e12    // ms, about 31 years: int64 ns holds 9.2e12 ms
	MaxCV2          = 1e4     // gamma arrivals: beyond it the draws degenerate (cv2 = 1e308 gave no arrival at all)
	minWindowS      = 1e-6    // a shorter window rounds to 0 ns
)

// checkLimits refuses a run too large to be a real experiment.
func checkLimits(x *Settings, p *problems) {
	w := &x.Workload
	if w.Queries > MaxQueries {
		p.add("workload.queries", fmt.Errorf("%d queries a run: at most %.0e (allowed: 0 to %.0e)", w.Queries, MaxQueries, MaxQueries))
	}
	if w.DurationS > MaxDurationS {
		p.add("workload.duration_s", fmt.Errorf("%g s: at most %.0e s of simulated time (allowed: 0 to %.0e)", w.DurationS, MaxDurationS, MaxDurationS))
	}
	a := &w.Arrival
	for _, r := range []struct {
		key string
		v   float64
	}{{"rate", a.Rate}, {"rates[0]", at(a.Rates, 0)}, {"rates[1]", at(a.Rates, 1)}} {
		if r.v > MaxRate {
			p.add("workload.arrival."+r.key, fmt.Errorf("%g queries/s: above %.0e, one query per ns, the clock's resolution (allowed: up to %.0e)", r.v, MaxRate, MaxRate))
		}
	}
	// a run is one cell's when a datacenter's cells draw their own
	// arrivals (the rate split): the largest cell's share of the stream
	q, run := ExpectedQueries(w), "a run"
	if d := &x.Datacenter; d.Cells > 1 && d.Split == SplitRate {
		q, run = q*d.Weight(0), "in the largest cell"
	}
	if q > MaxQueries && !math.IsInf(q, 1) && w.Queries == 0 {
		p.add("workload.duration_s", fmt.Errorf("%g s at %g queries/s is %.3g queries %s: at most %.0e (lower the rate or the duration, or set queries)",
			w.DurationS, rateOf(w), q, run, MaxQueries))
	}
	// the queries at the rate set the length only without a duration; a
	// duration above the ceiling is reported above, on its own key
	if d := ExpectedDurationS(w); d > MaxDurationS && !math.IsInf(d, 1) && w.Queries > 0 && w.DurationS <= MaxDurationS {
		p.add("workload.arrival.rate", fmt.Errorf("%g queries/s: %d queries take %.3g s of simulated time, at most %.0e (raise the rate or lower queries)",
			rateOf(w), w.Queries, d, MaxDurationS))
	}
	if a.CV2 > MaxCV2 {
		p.add("workload.arrival.cv2", fmt.Errorf("too large, %g (allowed: (0, %.0e])", a.CV2, MaxCV2))
	}
	checkTimes(w, p)
	if x.Cluster.Instances > MaxInstances {
		key := "cluster.instances"
		if len(x.Cluster.Group) > 0 {
			key = "cluster.group"
		}
		p.add(key, fmt.Errorf("%d instances: at most %d (allowed: 1 to %d)", x.Cluster.Instances, MaxInstances, MaxInstances))
	}
}

// checkTimes bounds the times and SLOs that become int64 nanoseconds:
// past the bounds the conversion overflows and the run is silently wrong
// (slo_ms = 1e308 became a negative SLO that no query met).
func checkTimes(w *workloads.Config, p *problems) {
	for i, c := range w.Needs.Class {
		if c.SLOMs > MaxSLOMs {
			p.add(fmt.Sprintf("workload.needs.class[%d].slo_ms", i), fmt.Errorf("%g ms: at most %.0e ms (allowed: (0, %.0e])", c.SLOMs, MaxSLOMs, MaxSLOMs))
		}
	}
	for i, ph := range w.Needs.Phase {
		if ph.StartS > MaxDurationS {
			p.add(fmt.Sprintf("workload.needs.phase[%d].start_s", i), fmt.Errorf("%g s: at most %.0e s", ph.StartS, MaxDurationS))
		}
	}
	a := &w.Arrival
	for _, t := range []struct {
		key string
		v   float64
	}{{"period_s", a.PeriodS}, {"phase_s", math.Abs(a.PhaseS)}, {"sojourn_s[0]", at(a.SojournS, 0)}, {"sojourn_s[1]", at(a.SojournS, 1)}} {
		if t.v > MaxDurationS {
			p.add("workload.arrival."+t.key, fmt.Errorf("%g s: at most %.0e s of simulated time", t.v, MaxDurationS))
		}
	}
}

func at(xs []float64, i int) float64 {
	if i < len(xs) {
		return xs[i]
	}
	return 0
}

func rateOf(w *workloads.Config) float64 {
	r, _ := w.Arrival.MeanRate()
	return r
}

// ExpectedQueries is how many queries one run of w will have: the queries
// limit, or the mean rate times the duration when that is smaller; +Inf
// when neither bounds it (a trace: the file does); 0 for an empty config.
func ExpectedQueries(w *workloads.Config) float64 {
	q := math.Inf(1)
	if w.Queries > 0 {
		q = float64(w.Queries)
	}
	if r, ok := w.Arrival.MeanRate(); ok && w.DurationS > 0 {
		q = min(q, r*w.DurationS)
	}
	return q
}

// ExpectedDurationS is how long one run of w lasts in simulated time: the
// duration, or the queries at the mean rate when that ends it first; +Inf
// when unknown (a trace without limits).
func ExpectedDurationS(w *workloads.Config) float64 {
	d := math.Inf(1)
	if w.DurationS > 0 {
		d = w.DurationS
	}
	if r, ok := w.Arrival.MeanRate(); ok && r > 0 && w.Queries > 0 {
		d = min(d, float64(w.Queries)/r)
	}
	return d
}

// checkTasks refuses a plan of more than MaxTasks tasks (a point's
// replications, each split into its datacenter cells): within their own
// ceilings, 100,000 points of 10,000 replications would list 10^9 tasks
// (1,000 points of 10,000 took 1.6-2.0 GB and 6 s to validate).
func checkTasks(x *Experiment, p *problems) {
	n := 0.0
	for _, pt := range x.Points {
		n += float64(x.Sweep.Replications) * float64(max(pt.Datacenter.Cells, 1))
	}
	if n > MaxTasks {
		p.add("sweep.replications", fmt.Errorf("%.6g tasks (points x replications x datacenter cells): at most %d (fewer replications, points or cells, or split the sweep into several files)", n, MaxTasks))
	}
}

// checkWindows refuses a time series with more windows than MaxWindows in
// any point: windows = simulated time / window_s.
func checkWindows(x *Experiment, p *problems) {
	ws := x.Output.WindowS
	if ws < minWindowS { // none, or refused by checkOutput
		return
	}
	for _, pt := range x.Points {
		d := ExpectedDurationS(&pt.Workload)
		if math.IsInf(d, 1) {
			continue // a trace bounds the run; the observer refuses windows past MaxWindows as they come
		}
		if n := d / ws; n > MaxWindows {
			p.add("output.window_s", fmt.Errorf("%g s over %g s of simulated time is %.3g windows a run: at most %d (allowed: window_s >= %g)",
				ws, d, n, MaxWindows, d/MaxWindows))
			return
		}
	}
}
