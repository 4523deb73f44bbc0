package workloads

import (
	"fmt"
	"strings"
)

// Names of the built-in arrival processes (processes.go registers them).
const (
	ProcessPoisson  = "poisson"
	ProcessGamma    = "gamma"
	ProcessMMPP     = "mmpp"
	ProcessDiurnal  = "diurnal"
	ProcessConstant = "constant"
	ProcessTrace    = "trace"
	ProcessAzure    = "azure"
	ProcessReplay   = "replay"
)

// Config is the [workload] table.
type Config struct {
	Queries   int64         `toml:"queries"`    // stop after this many queries (0 = no count limit)
	DurationS float64       `toml:"duration_s"` // stop at this simulated time (0 = none); at least one limit required unless a trace ends by itself
	Arrival   ArrivalConfig `toml:"arrival"`    // [workload.arrival]
	Needs     NeedsConfig   `toml:"needs"`      // [workload.needs]
	Split     SplitConfig   `toml:"split"`      // [workload.split]: keep one part of the stream
}

// ArrivalConfig is [workload.arrival]: which process makes arrival times and
// its parameters. A parameter the chosen process does not use must be left
// unset, so a typo'd process name cannot silently ignore the others.
type ArrivalConfig struct {
	Process string  `toml:"process"` // a registered process (Processes())
	Rate    float64 `toml:"rate"`    // queries/s: poisson, gamma, constant; the mean rate of diurnal and replay
	CV2     float64 `toml:"cv2"`     // gamma: squared coefficient of variation of inter-arrival times (1 = Poisson)

	// mmpp: a two-state Markov-modulated Poisson process.
	Rates    []float64 `toml:"rates"`     // arrival rate in state 0 and state 1, queries/s (one may be 0)
	SojournS []float64 `toml:"sojourn_s"` // mean (exponential) time spent in state 0 and state 1, s

	// diurnal: rate(t) = rate * (1 + amplitude * sin(2π (t - phase_s) / period_s)).
	Amplitude float64 `toml:"amplitude"` // relative swing in [0,1]
	PeriodS   float64 `toml:"period_s"`  // period, s (86400 for a day)
	PhaseS    float64 `toml:"phase_s"`   // time shift, s

	Trace  TraceConfig  `toml:"trace"`  // [workload.arrival.trace], process = "trace"
	Azure  AzureConfig  `toml:"azure"`  // [workload.arrival.azure], process = "azure"
	Replay ReplayConfig `toml:"replay"` // [workload.arrival.replay], process = "replay"
}

// TraceConfig replays a CSV file with a header row and one query per row.
type TraceConfig struct {
	Path           string  `toml:"path"`            // CSV file; relative paths resolve against the caller's baseDir
	TimeColumn     string  `toml:"time_column"`     // header name of the arrival-time column (required)
	TimeUnit       string  `toml:"time_unit"`       // "s" (default), "ms", "us" or "ns"
	AccuracyColumn string  `toml:"accuracy_column"` // optional: per-query minimum accuracy, percent
	SLOColumn      string  `toml:"slo_ms_column"`   // optional (required with accuracy_column): per-query SLO, ms
	TenantColumn   string  `toml:"tenant_column"`   // optional: non-negative integer tenant index
	Rebase         bool    `toml:"rebase"`          // shift times so the first row arrives at 0
	RateScale      float64 `toml:"rate_scale"`      // divide every time by this factor (0 = 1)
}

// AzureConfig replays the Azure Functions 2019 invocation counts
// (invocations_per_function_md.anon.dNN.csv:
// HashOwner,HashApp,HashFunction,Trigger,1,...,1440).
type AzureConfig struct {
	Path        string   `toml:"path"`         // the day file; relative paths resolve against baseDir
	TopK        int      `toml:"top_k"`        // keep the k functions with the most invocations in the window (0 = all)
	Functions   []string `toml:"functions"`    // or: keep the functions with these HashFunction values, tenant = list order
	Triggers    []string `toml:"triggers"`     // optional: keep only these Trigger values (e.g. "http")
	RateScale   float64  `toml:"rate_scale"`   // multiply every per-minute count (0 = 1); fractions by error diffusion
	Spread      string   `toml:"spread"`       // "uniform" (default): evenly spaced in the minute; "poisson": uniform random
	StartMinute int      `toml:"start_minute"` // first minute to replay, 0-based (0 = column "1")
	Minutes     int      `toml:"minutes"`      // number of minutes to replay (0 = to the end of the file)
}

// NeedsConfig is [workload.needs]: the (accuracy, SLO) need of each query.
type NeedsConfig struct {
	Locality float64        `toml:"locality"` // p in [0,1]: keep the current class with probability p
	Class    []NeedClass    `toml:"class"`    // [[workload.needs.class]]
	Phase    []PhaseConfig  `toml:"phase"`    // [[workload.needs.phase]]: class mixes over time
	Tenant   []TenantConfig `toml:"tenant"`   // [[workload.needs.tenant]]: per-tenant mixes
	Drift    DriftConfig    `toml:"drift"`    // [workload.needs.drift]: a periodic mix shift (drift.go)
}

// NeedClass is one kind of query need.
type NeedClass struct {
	Name        string  `toml:"name"`
	MinAccuracy float64 `toml:"min_accuracy"` // percent top-1
	SLOMs       float64 `toml:"slo_ms"`       // latency SLO, ms
	Weight      float64 `toml:"weight"`       // relative share in the base mix
}

// PhaseConfig switches the class mix from StartS on, until the next phase.
type PhaseConfig struct {
	StartS   float64   `toml:"start_s"`
	Weights  []float64 `toml:"weights"`  // one per class
	Locality *float64  `toml:"locality"` // optional override of needs.locality during the phase
}

// TenantConfig gives one tenant (trace function) its own mix and its own
// sticky chain. Tenants without an entry share the base (or phase) chain.
type TenantConfig struct {
	Tenant   int32     `toml:"tenant"`   // tenant index as Query.Tenant reports it
	Weights  []float64 `toml:"weights"`  // one per class
	Locality *float64  `toml:"locality"` // optional override of needs.locality for this tenant
}

// maxTenantEntry bounds tenant indices in [[needs.tenant]], so a typo cannot
// make New allocate a huge per-tenant table.
const maxTenantEntry = 1 << 20

// Classes returns the need classes, for reporting.
func (c Config) Classes() []NeedClass {
	return append([]NeedClass(nil), c.Needs.Class...)
}

// Validate checks every field and returns all problems joined, each naming
// its key path relative to [workload].
func (c *Config) Validate() error {
	v := &Problems{}
	if c.Queries < 0 {
		v.Add("queries", "must be >= 0 (0 = no count limit), got %d", c.Queries)
	}
	v.NonNegative("duration_s", c.DurationS, "(0 = no time limit)")
	if c.Queries == 0 && c.DurationS == 0 && !c.EndsByItself() && c.Arrival.Process != "" {
		v.Add("queries", "set queries or duration_s (or both): a %q stream never ends by itself", c.Arrival.Process)
	}
	c.Arrival.validate(v)
	c.validateNeeds(v)
	c.Split.validate(v, c.needsSource(), len(c.Needs.Class))
	return v.Err()
}

func (a *ArrivalConfig) validateMMPP(v *Problems) {
	if len(a.Rates) != 2 {
		v.Add("arrival.rates", "mmpp needs exactly 2 rates [state0, state1] in queries/s, got %d", len(a.Rates))
	} else {
		ok := true
		for i, r := range a.Rates {
			key := fmt.Sprintf("arrival.rates[%d]", i)
			if !v.Finite(key, r) {
				ok = false
			} else if r < 0 {
				v.Add(key, "must be >= 0, got %v", r)
				ok = false
			}
		}
		if ok && a.Rates[0] == 0 && a.Rates[1] == 0 {
			v.Add("arrival.rates", "at least one rate must be > 0")
		}
	}
	if len(a.SojournS) != 2 {
		v.Add("arrival.sojourn_s", "mmpp needs exactly 2 mean sojourn times [state0, state1] in s, got %d", len(a.SojournS))
	} else {
		for i, s := range a.SojournS {
			v.Positive(fmt.Sprintf("arrival.sojourn_s[%d]", i), s)
		}
	}
}

// timeUnits maps trace.time_unit to nanoseconds per unit.
var timeUnits = map[string]int64{"s": 1e9, "ms": 1e6, "us": 1e3, "ns": 1}

func (t *TraceConfig) validate(v *Problems) {
	if t.Path == "" {
		v.Add("arrival.trace.path", "required: the CSV file to replay")
	}
	if t.TimeColumn == "" {
		v.Add("arrival.trace.time_column", "required: the header name of the arrival-time column")
	}
	if t.TimeUnit != "" {
		if _, ok := timeUnits[t.TimeUnit]; !ok {
			v.Add("arrival.trace.time_unit", "unknown unit %q; known: \"s\", \"ms\", \"us\", \"ns\"", t.TimeUnit)
		}
	}
	if (t.AccuracyColumn == "") != (t.SLOColumn == "") {
		v.Add("arrival.trace.slo_ms_column", "accuracy_column and slo_ms_column go together: set both or neither")
	}
	seen := map[string]string{}
	for _, kc := range [][2]string{{"time_column", t.TimeColumn}, {"accuracy_column", t.AccuracyColumn}, {"slo_ms_column", t.SLOColumn}, {"tenant_column", t.TenantColumn}} {
		if kc[1] == "" {
			continue
		}
		if prev, dup := seen[kc[1]]; dup {
			v.Add("arrival.trace."+kc[0], "column %q is already used by %s", kc[1], prev)
		}
		seen[kc[1]] = kc[0]
	}
	v.rateScale("arrival.trace.rate_scale", t.RateScale)
}

func (a *AzureConfig) isZero() bool {
	return a.Path == "" && a.TopK == 0 && a.Functions == nil && a.Triggers == nil && a.RateScale == 0 &&
		a.Spread == "" && a.StartMinute == 0 && a.Minutes == 0
}

// Spread names for arrival.azure.spread.
const (
	SpreadUniform = "uniform"
	SpreadPoisson = "poisson"
)

func (a *AzureConfig) validate(v *Problems) {
	if a.Path == "" {
		v.Add("arrival.azure.path", "required: an invocations_per_function_md.anon.dNN.csv file")
	}
	if a.TopK < 0 {
		v.Add("arrival.azure.top_k", "must be >= 0 (0 = all functions), got %d", a.TopK)
	}
	if a.TopK > 0 && len(a.Functions) > 0 {
		v.Add("arrival.azure.functions", "choose functions by top_k or by hash, not both")
	}
	seen := map[string]int{}
	for i, h := range a.Functions {
		key := fmt.Sprintf("arrival.azure.functions[%d]", i)
		if h == "" {
			v.Add(key, "empty hash")
		} else if j, dup := seen[h]; dup {
			v.Add(key, "%q repeats functions[%d]", h, j)
		}
		seen[h] = i
	}
	for i, t := range a.Triggers {
		if t == "" {
			v.Add(fmt.Sprintf("arrival.azure.triggers[%d]", i), "empty trigger name")
		}
	}
	v.rateScale("arrival.azure.rate_scale", a.RateScale)
	if a.Spread != "" && a.Spread != SpreadUniform && a.Spread != SpreadPoisson {
		v.Add("arrival.azure.spread", "unknown spread %q; known: %q, %q", a.Spread, SpreadUniform, SpreadPoisson)
	}
	if a.StartMinute < 0 || a.StartMinute >= azureMinutes {
		v.Add("arrival.azure.start_minute", "must be in [0,%d), got %d", azureMinutes, a.StartMinute)
	}
	if a.Minutes < 0 {
		v.Add("arrival.azure.minutes", "must be >= 0 (0 = to the end), got %d", a.Minutes)
	} else if a.StartMinute >= 0 && a.StartMinute+a.Minutes > azureMinutes {
		v.Add("arrival.azure.minutes", "start_minute + minutes must be <= %d, got %d", azureMinutes, a.StartMinute+a.Minutes)
	}
}

func (c *Config) validateNeeds(v *Problems) {
	n := &c.Needs
	// A process that sets the needs leaves [workload.needs] empty; one that
	// sets only the class keeps the classes and nothing that picks them.
	if src := c.needsSource(); src != NeedsModel {
		why := "each query's class comes from the arrival process (arrival.replay.class_by)"
		if src == NeedsFromArrivals {
			why = "each query's needs come from the arrival process (e.g. arrival.trace.accuracy_column, slo_ms_column)"
		}
		for _, x := range []struct {
			key string
			set bool
		}{{"needs.locality", n.Locality != 0}, {"needs.class", len(n.Class) > 0 && src == NeedsFromArrivals},
			{"needs.phase", len(n.Phase) > 0}, {"needs.tenant", len(n.Tenant) > 0}, {"needs.drift", n.Drift.set()}} {
			if x.set {
				v.Add(x.key, "not used: %s; remove it", why)
			}
		}
		if src == NeedsFromArrivals {
			return
		}
	}
	v.Unit("needs.locality", n.Locality)
	if len(n.Class) == 0 {
		v.Add("needs.class", "at least one [[workload.needs.class]] is required (min_accuracy, slo_ms, weight)")
		return
	}
	names := map[string]int{}
	sum := 0.0
	for i, cl := range n.Class {
		key := fmt.Sprintf("needs.class[%d]", i)
		if cl.Name != "" {
			if j, dup := names[cl.Name]; dup {
				v.Add(key+".name", "%q repeats needs.class[%d].name", cl.Name, j)
			}
			names[cl.Name] = i
		}
		if v.Finite(key+".min_accuracy", cl.MinAccuracy) && (cl.MinAccuracy < 0 || cl.MinAccuracy > 100) {
			v.Add(key+".min_accuracy", "must be a top-1 percentage in [0,100], got %v", cl.MinAccuracy)
		}
		v.Positive(key+".slo_ms", cl.SLOMs)
		if v.Finite(key+".weight", cl.Weight) && cl.Weight < 0 {
			v.Add(key+".weight", "must be >= 0, got %v", cl.Weight)
		}
		sum += max(cl.Weight, 0)
	}
	baseUsed := len(n.Phase) == 0 || n.Phase[0].StartS > 0
	if baseUsed && !(sum > 0) {
		v.Add("needs.class", "the weights must sum to > 0 (they are the mix before any phase)")
	}
	for i, ph := range n.Phase {
		key := fmt.Sprintf("needs.phase[%d]", i)
		if v.Finite(key+".start_s", ph.StartS) {
			if ph.StartS < 0 {
				v.Add(key+".start_s", "must be >= 0, got %v", ph.StartS)
			} else if i > 0 && ph.StartS <= n.Phase[i-1].StartS {
				v.Add(key+".start_s", "phases must start in increasing order: %v is not after needs.phase[%d].start_s = %v", ph.StartS, i-1, n.Phase[i-1].StartS)
			}
		}
		validateMix(v, key, ph.Weights, len(n.Class))
		if ph.Locality != nil {
			v.Unit(key+".locality", *ph.Locality)
		}
	}
	n.Drift.validate(v, n)
	seen := map[int32]int{}
	for i, t := range n.Tenant {
		key := fmt.Sprintf("needs.tenant[%d]", i)
		if t.Tenant < 0 || t.Tenant >= maxTenantEntry {
			v.Add(key+".tenant", "must be in [0,%d), got %d", maxTenantEntry, t.Tenant)
		} else if j, dup := seen[t.Tenant]; dup {
			v.Add(key+".tenant", "tenant %d repeats needs.tenant[%d]", t.Tenant, j)
		}
		seen[t.Tenant] = i
		validateMix(v, key, t.Weights, len(n.Class))
		if t.Locality != nil {
			v.Unit(key+".locality", *t.Locality)
		}
	}
}

func validateMix(v *Problems, key string, w []float64, classes int) {
	if len(w) != classes {
		v.Add(key+".weights", "needs one weight per class (%d), got %d", classes, len(w))
		return
	}
	sum := 0.0
	for j, x := range w {
		k := fmt.Sprintf("%s.weights[%d]", key, j)
		if v.Finite(k, x) && x < 0 {
			v.Add(k, "must be >= 0, got %v", x)
		}
		sum += max(x, 0)
	}
	if !(sum > 0) {
		v.Add(key+".weights", "must sum to > 0")
	}
}

func quoteList[S string | []byte](xs []S) string {
	q := make([]string, len(xs))
	for i, x := range xs {
		q[i] = fmt.Sprintf("%q", x)
	}
	return strings.Join(q, ", ")
}
