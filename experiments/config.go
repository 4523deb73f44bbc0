package experiments

import (
	"github.com/BurntSushi/toml"

	"github.com/sushisim/sushisim/accel"
	"github.com/sushisim/sushisim/workloads"
)

// file is the raw shape of an experiment file. Tables whose keys depend on a
// choice made inside them ([accel] on its preset, [[policy]] on its policy
// names) are kept as Primitives and decoded in a second step, so that strict
// checking still sees every key.
type file struct {
	Name        string           `toml:"name"`
	Description string           `toml:"description"`
	Seed        *uint64          `toml:"seed"`
	Model       ModelConfig      `toml:"model"`
	Accel       toml.Primitive   `toml:"accel"`
	Cluster     ClusterConfig    `toml:"cluster"`
	Workload    workloads.Config `toml:"workload"`
	Policy      []toml.Primitive `toml:"policy"`
}

// ModelConfig is [model]: which SuperNet and which of its SubNets are served.
type ModelConfig struct {
	SuperNet string `toml:"supernet"` // e.g. "ofa-resnet50"
	Catalog  string `toml:"catalog"`  // a builtin catalog name (e.g. "reference")
}

// ClusterConfig is [cluster]: how many accelerators, of what kind. Either
// instances copies of the [accel] table, or [[cluster.group]] tables that
// mix accelerators (e.g. 900 edge boards and 100 cloud cards).
type ClusterConfig struct {
	Instances int           `toml:"instances"` // default 1 (without groups)
	Group     []groupConfig `toml:"group"`     // [[cluster.group]]
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

// Experiment is a loaded, validated experiment file.
type Experiment struct {
	Path        string
	Dir         string // resolves relative paths in the file
	Name        string
	Description string
	Seed        uint64
	Model       ModelConfig
	Hardware    accel.Hardware // [accel]: the hardware of every instance when there are no groups
	Cluster     ClusterConfig
	Groups      []Group // the instances, in order; one group when [[cluster.group]] is absent
	Workload    workloads.Config
	Policies    []Policy
}

// Policy is a [[policy]] with its components' validated parameters.
type Policy struct {
	PolicyConfig
	CacheSpec    cacheSpec
	SelectorSpec selectorSpec
	RouterSpec   routerSpec
}
