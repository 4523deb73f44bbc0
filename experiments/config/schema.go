package config

import (
	"path/filepath"

	"github.com/BurntSushi/toml"

	"github.com/sushisim/sushisim/accel"
	"github.com/sushisim/sushisim/experiments/results"
	"github.com/sushisim/sushisim/workloads"
)

// file is the raw shape of an experiment file. Tables whose keys depend on a
// choice made inside them ([accel] on its preset, [[policy]] on its policy
// names) are kept as Primitives and decoded in a second step, so that strict
// checking still sees every key. [sweep] is a Primitive because its keys are
// the dotted paths of the keys it sweeps.
type file struct {
	Name        string                 `toml:"name"`
	Description string                 `toml:"description"`
	Seed        *uint64                `toml:"seed"`
	Model       ModelConfig            `toml:"model"`
	Accel       toml.Primitive         `toml:"accel"`
	Cluster     ClusterConfig          `toml:"cluster"`
	Datacenter  DatacenterConfig       `toml:"datacenter"`
	Workload    workloads.Config       `toml:"workload"`
	Policy      []toml.Primitive       `toml:"policy"`
	Engine      EngineConfig           `toml:"engine"`
	Sweep       toml.Primitive         `toml:"sweep"`
	Figure      []results.FigureConfig `toml:"figure"`
	Output      OutputConfig           `toml:"output"`
}

// ModelConfig is [model]: which SuperNet and which of its SubNets are
// served. The SubNets come from exactly one of catalog (a builtin name or a
// CSV file), sample (N SubNets drawn at random) or sweep (N SubNets from the
// smallest to the largest); pareto then keeps only the accuracy-latency
// Pareto frontier.
type ModelConfig struct {
	SuperNet   string `toml:"supernet"`    // e.g. "ofa-resnet50"
	Catalog    string `toml:"catalog"`     // a builtin catalog name ("reference") or a CSV file
	Sample     int    `toml:"sample"`      // draw this many SubNets uniformly from the search space
	SampleSeed uint64 `toml:"sample_seed"` // seed of the sample (default: the experiment's seed)
	Sweep      int    `toml:"sweep"`       // this many SubNets along a structured sweep, smallest to largest
	Pareto     bool   `toml:"pareto"`      // keep only the Pareto frontier (accuracy vs empty-PB latency)
}

// ClusterConfig is [cluster]: how many accelerators, of what kind. Either
// instances copies of the [accel] table, or [[cluster.group]] tables that
// mix accelerators (e.g. 900 edge boards and 100 cloud cards).
type ClusterConfig struct {
	Instances int           `toml:"instances"` // default 1 (without groups)
	Group     []groupConfig `toml:"group"`     // [[cluster.group]]
	// WarmStart loads every instance's first resident SubGraph before
	// t = 0 for free, whatever the policy; false (default) pays it like
	// any reload (engine.Spec.WarmStart).
	WarmStart bool `toml:"warm_start"`
}

type groupConfig struct {
	Name  string         `toml:"name"`  // label; default "group<i>"
	Count int            `toml:"count"` // instances in the group, >= 1
	Accel toml.Primitive `toml:"accel"` // [cluster.group.accel]: like [accel], preset first
}

// Group is a set of identical accelerator instances.
type Group struct {
	Name     string
	Count    int
	Hardware accel.Hardware
}

// PolicyConfig is one [[policy]]: a named combination of a SubNet selector,
// a cache policy and a router, each with its own parameters (flat keys in
// the same table, e.g. q and window for sgs).
type PolicyConfig struct {
	Name   string `toml:"name"`   // label in results; default: the cache policy's name
	Cache  string `toml:"cache"`  // none | sgs | ...
	Select string `toml:"select"` // accuracy-first | ...
	Router string `toml:"router"` // jsq | round-robin | ...
}

// EngineConfig is [engine]: which event kernel runs the simulation.
type EngineConfig struct {
	// Kernel is "sushisim" (default: the built-in 4-ary heap) or "simgo"
	// (the same model on github.com/fschuetz04/simgo, slower; for checking
	// that results do not depend on the kernel).
	Kernel string `toml:"kernel"`
}

// Event kernels [engine] kernel may name.
const (
	KernelSushisim = "sushisim"
	KernelSimgo    = "simgo"
)

// OutputConfig is [output]: where results go and what optional files a run
// writes besides the summaries.
type OutputConfig struct {
	Dir     string   `toml:"dir"`      // results directory (default results/<name>), relative to the working directory
	Formats []string `toml:"formats"`  // figure formats: "png" (default), "svg", "pdf"
	Trace   bool     `toml:"trace"`    // write traces/<run>.csv.gz: one row per query
	WindowS float64  `toml:"window_s"` // write timeseries.csv with windows this long, s (0: none)
}

// Settings are everything one run of a point depends on, resolved and
// validated: the file itself without [sweep], or the file with one point's
// swept values set.
type Settings struct {
	Path     string
	Dir      string // resolves relative paths in the file
	Name     string
	Seed     uint64
	Model    ModelConfig
	Hardware accel.Hardware // [accel]: the hardware of every instance when there are no groups
	Cluster  ClusterConfig
	Groups   []Group // the instances, in order; one group when [[cluster.group]] is absent
	// Datacenter is [datacenter]: the cells the instances are split into
	// (one cell without it).
	Datacenter Datacenter
	Workload   workloads.Config
	Policies   []Policy
	Engine     EngineConfig
}

// Experiment is a loaded, validated experiment file: its own settings (the
// defaults of its points) and the plan made from them.
type Experiment struct {
	Settings
	Description string

	Sweep   Sweep            // the swept keys and replications (empty without [sweep])
	Points  []Point          // the points of the sweep, in plan order; one point (the file's settings) without [sweep]
	Figures []results.Figure // [[figure]], validated
	Output  OutputConfig     // [output]
	Source  []byte           // the file as read, copied next to the results
	Hash    string           // identifies everything that changes results (not figures, output dir or formats)
}

// Policy is a [[policy]] with its components' validated parameters.
type Policy struct {
	PolicyConfig
	CacheSpec    cacheSpec
	SelectorSpec selectorSpec
	RouterSpec   routerSpec
}

// OutDir is where an experiment's results go unless a flag says otherwise.
func (x *Experiment) OutDir() string {
	if x.Output.Dir != "" {
		return x.Output.Dir
	}
	return filepath.Join("results", x.Name)
}
