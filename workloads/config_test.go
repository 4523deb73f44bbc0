package workloads

import (
	"math"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func validConfig() Config {
	return Config{Queries: 1000, Arrival: ArrivalConfig{Process: ProcessPoisson, Rate: 100},
		Needs: NeedsConfig{Locality: 0.5, Class: threeClasses(1, 1, 1)}}
}

func TestValidateNamesTheKey(t *testing.T) {
	cases := []struct {
		name string
		edit func(c *Config)
		want string
	}{
		{"negative rate", func(c *Config) { c.Arrival.Rate = -3 }, "arrival.rate: must be > 0, got -3"},
		{"NaN rate", func(c *Config) { c.Arrival.Rate = math.NaN() }, "arrival.rate: must be a finite number, got NaN"},
		{"locality", func(c *Config) { c.Needs.Locality = 1.5 }, "needs.locality: must be in [0,1], got 1.5"},
		{"slo", func(c *Config) { c.Needs.Class[2].SLOMs = 0 }, "needs.class[2].slo_ms: must be > 0, got 0"},
		{"accuracy", func(c *Config) { c.Needs.Class[1].MinAccuracy = 101 }, "needs.class[1].min_accuracy: must be a top-1 percentage in [0,100], got 101"},
		{"weight", func(c *Config) { c.Needs.Class[0].Weight = -1 }, "needs.class[0].weight: must be >= 0, got -1"},
		{"weights sum", func(c *Config) { c.Needs.Class = threeClasses(0, 0, 0) }, "needs.class: the weights must sum to > 0"},
		{"no classes", func(c *Config) { c.Needs.Class = nil }, "needs.class: at least one"},
		{"duplicate name", func(c *Config) { c.Needs.Class[2].Name = "accurate" }, `needs.class[2].name: "accurate" repeats needs.class[0].name`},
		{"unknown process", func(c *Config) { c.Arrival.Process = "poison" },
			`arrival.process: unknown process "poison"; known: "azure", "constant", "diurnal", "gamma", "mmpp", "poisson", "replay", "trace"`},
		{"no process", func(c *Config) { c.Arrival.Process = "" }, "arrival.process: required"},
		{"no limit", func(c *Config) { c.Queries = 0 }, "queries: set queries or duration_s"},
		{"negative queries", func(c *Config) { c.Queries = -1 }, "queries: must be >= 0"},
		{"negative duration", func(c *Config) { c.DurationS = -2 }, "duration_s: must be >= 0 (0 = no time limit), got -2"},
		{"unused cv2", func(c *Config) { c.Arrival.CV2 = 4 }, `arrival.cv2: not used by process "poisson" (only by gamma)`},
		{"gamma cv2", func(c *Config) { c.Arrival.Process = ProcessGamma }, "arrival.cv2: must be > 0, got 0"},
		{"mmpp rates", func(c *Config) {
			c.Arrival = ArrivalConfig{Process: ProcessMMPP, Rates: []float64{5}, SojournS: []float64{1, 1}}
		}, "arrival.rates: mmpp needs exactly 2 rates"},
		{"mmpp sojourn", func(c *Config) {
			c.Arrival = ArrivalConfig{Process: ProcessMMPP, Rates: []float64{5, 0}, SojournS: []float64{1, -1}}
		}, "arrival.sojourn_s[1]: must be > 0, got -1"},
		{"mmpp silent", func(c *Config) {
			c.Arrival = ArrivalConfig{Process: ProcessMMPP, Rates: []float64{0, 0}, SojournS: []float64{1, 1}}
		}, "arrival.rates: at least one rate must be > 0"},
		{"diurnal amplitude", func(c *Config) {
			c.Arrival = ArrivalConfig{Process: ProcessDiurnal, Rate: 5, Amplitude: 1.2, PeriodS: 86400}
		}, "arrival.amplitude: must be in [0,1], got 1.2"},
		{"diurnal period", func(c *Config) { c.Arrival = ArrivalConfig{Process: ProcessDiurnal, Rate: 5} }, "arrival.period_s: must be > 0, got 0"},
		{"phase weights", func(c *Config) { c.Needs.Phase = []PhaseConfig{{StartS: 1, Weights: []float64{1}}} },
			"needs.phase[0].weights: needs one weight per class (3), got 1"},
		{"phase order", func(c *Config) {
			c.Needs.Phase = []PhaseConfig{{StartS: 5, Weights: []float64{1, 0, 0}}, {StartS: 5, Weights: []float64{0, 1, 0}}}
		}, "needs.phase[1].start_s: phases must start in increasing order"},
		{"phase locality", func(c *Config) {
			bad := -0.1
			c.Needs.Phase = []PhaseConfig{{StartS: 5, Weights: []float64{1, 0, 0}, Locality: &bad}}
		}, "needs.phase[0].locality: must be in [0,1], got -0.1"},
		{"tenant repeat", func(c *Config) {
			c.Needs.Tenant = []TenantConfig{{Tenant: 3, Weights: []float64{1, 0, 0}}, {Tenant: 3, Weights: []float64{0, 1, 0}}}
		}, "needs.tenant[1].tenant: tenant 3 repeats needs.tenant[0]"},
		{"tenant range", func(c *Config) { c.Needs.Tenant = []TenantConfig{{Tenant: -1, Weights: []float64{1, 0, 0}}} },
			"needs.tenant[0].tenant: must be in [0,1048576), got -1"},
		{"trace fields", func(c *Config) { c.Arrival = ArrivalConfig{Process: ProcessTrace} }, "arrival.trace.path: required"},
		{"trace unit", func(c *Config) {
			c.Arrival = ArrivalConfig{Process: ProcessTrace, Trace: TraceConfig{Path: "x", TimeColumn: "t", TimeUnit: "min"}}
		}, `arrival.trace.time_unit: unknown unit "min"`},
		{"trace needs pair", func(c *Config) {
			c.Arrival = ArrivalConfig{Process: ProcessTrace, Trace: TraceConfig{Path: "x", TimeColumn: "t", AccuracyColumn: "a"}}
		}, "arrival.trace.slo_ms_column: accuracy_column and slo_ms_column go together"},
		{"trace same column", func(c *Config) {
			c.Arrival = ArrivalConfig{Process: ProcessTrace, Trace: TraceConfig{Path: "x", TimeColumn: "t", TenantColumn: "t"}}
		}, `arrival.trace.tenant_column: column "t" is already used by time_column`},
		{"classes with trace needs", func(c *Config) {
			c.Arrival = ArrivalConfig{Process: ProcessTrace, Trace: TraceConfig{Path: "x", TimeColumn: "t", AccuracyColumn: "a", SLOColumn: "s"}}
		}, "needs.class: not used: each query's needs come from the arrival process"},
		{"trace table on poisson", func(c *Config) { c.Arrival.Trace.Path = "x.csv" }, `arrival.trace: not used by process "poisson"`},
		{"azure both selections", func(c *Config) {
			c.Arrival = ArrivalConfig{Process: ProcessAzure, Azure: AzureConfig{Path: "x", TopK: 3, Functions: []string{"ab"}}}
		}, "arrival.azure.functions: choose functions by top_k or by hash, not both"},
		{"azure spread", func(c *Config) {
			c.Arrival = ArrivalConfig{Process: ProcessAzure, Azure: AzureConfig{Path: "x", Spread: "even"}}
		}, `arrival.azure.spread: unknown spread "even"; known: "uniform", "poisson"`},
		{"azure window", func(c *Config) {
			c.Arrival = ArrivalConfig{Process: ProcessAzure, Azure: AzureConfig{Path: "x", StartMinute: 1400, Minutes: 60}}
		}, "arrival.azure.minutes: start_minute + minutes must be <= 1440, got 1460"},
		{"azure scale", func(c *Config) {
			c.Arrival = ArrivalConfig{Process: ProcessAzure, Azure: AzureConfig{Path: "x", RateScale: -1}}
		}, "arrival.azure.rate_scale: must be >= 0 (0 = 1), got -1"},
		{"trace scale", func(c *Config) {
			c.Arrival = ArrivalConfig{Process: ProcessTrace, Trace: TraceConfig{Path: "x", TimeColumn: "t", RateScale: 1e7}}
		}, "arrival.trace.rate_scale: must be <= 1e+06, got 1e+07"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := validConfig()
			tc.edit(&c)
			err := c.Validate()
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
			_, err2 := New(c, rng(1), rng(2), "")
			require.Error(t, err2, "New validates too")
		})
	}
}

func TestValidateReportsEveryProblem(t *testing.T) {
	c := validConfig()
	c.Arrival.Rate = -3
	c.Needs.Locality = 1.5
	c.Needs.Class[2].SLOMs = 0
	lines := strings.Split(c.Validate().Error(), "\n")
	assert.Equal(t, []string{"arrival.rate: must be > 0, got -3", "needs.locality: must be in [0,1], got 1.5",
		"needs.class[2].slo_ms: must be > 0, got 0"}, lines)
}

// exampleTOML is the documented [workload] example (docs/workloads.md); it
// must decode into Config with no key left over, and validate.
const exampleTOML = `
[workload]
queries = 100000
duration_s = 600

[workload.arrival]
process = "mmpp"
rates = [400.0, 40.0]
sojourn_s = [5.0, 20.0]

[workload.needs]
locality = 0.9

[[workload.needs.class]]
name = "accurate"
min_accuracy = 79.0
slo_ms = 100.0
weight = 1.0

[[workload.needs.class]]
name = "fast"
min_accuracy = 75.0
slo_ms = 10.0
weight = 1.0

[[workload.needs.phase]]
start_s = 60.0
weights = [0.2, 0.8]
locality = 0.95

[[workload.needs.tenant]]
tenant = 0
weights = [1.0, 0.0]
`

func TestTOMLTagsDecode(t *testing.T) {
	var doc struct {
		Workload Config `toml:"workload"`
	}
	md, err := toml.Decode(exampleTOML, &doc)
	require.NoError(t, err)
	assert.Empty(t, md.Undecoded())
	require.NoError(t, doc.Workload.Validate())
	assert.Equal(t, []float64{400, 40}, doc.Workload.Arrival.Rates)
	require.NotNil(t, doc.Workload.Needs.Phase[0].Locality)
	assert.Equal(t, 0.95, *doc.Workload.Needs.Phase[0].Locality)

	trace := `
process = "trace"
[trace]
path = "t.csv"
time_column = "ts"
time_unit = "ms"
accuracy_column = "acc"
slo_ms_column = "slo"
tenant_column = "fn"
rebase = true
rate_scale = 2.0
[azure]
path = "a.csv"
top_k = 5
functions = ["h"]
triggers = ["http"]
rate_scale = 0.5
spread = "poisson"
start_minute = 10
minutes = 20
`
	var a ArrivalConfig
	md, err = toml.Decode(trace, &a)
	require.NoError(t, err)
	assert.Empty(t, md.Undecoded(), "every documented key has a tag")
	assert.Equal(t, TraceConfig{Path: "t.csv", TimeColumn: "ts", TimeUnit: "ms", AccuracyColumn: "acc", SLOColumn: "slo",
		TenantColumn: "fn", Rebase: true, RateScale: 2}, a.Trace)
	assert.Equal(t, AzureConfig{Path: "a.csv", TopK: 5, Functions: []string{"h"}, Triggers: []string{"http"}, RateScale: 0.5,
		Spread: "poisson", StartMinute: 10, Minutes: 20}, a.Azure)
}

func TestValidConfigsPass(t *testing.T) {
	for _, arr := range []ArrivalConfig{
		{Process: ProcessPoisson, Rate: 1},
		{Process: ProcessGamma, Rate: 1, CV2: 8},
		{Process: ProcessMMPP, Rates: []float64{1, 0}, SojournS: []float64{1, 2}},
		{Process: ProcessDiurnal, Rate: 1, Amplitude: 1, PeriodS: 86400, PhaseS: -3},
		{Process: ProcessConstant, Rate: 1},
	} {
		c := validConfig()
		c.Arrival = arr
		assert.NoError(t, c.Validate(), arr.Process)
	}
	c := validConfig()
	c.Queries = 0
	c.Arrival = ArrivalConfig{Process: ProcessAzure, Azure: AzureConfig{Path: "azure_sample.csv"}}
	assert.NoError(t, c.Validate(), "a trace ends by itself: no limit needed")
	c.Needs.Class = threeClasses(0, 0, 0)
	c.Needs.Phase = []PhaseConfig{{StartS: 0, Weights: []float64{0, 1, 0}}}
	assert.NoError(t, c.Validate(), "the base weights may be 0 when a phase starts at 0")
}
