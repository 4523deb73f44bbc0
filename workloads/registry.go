package workloads

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"sync"
)

// A Process is one registered arrival process: the value of [workload.arrival]
// process, the keys of [workload.arrival] it reads, and how to check, build
// and describe it. Adding a process is one Register call (plus fields in
// ArrivalConfig if it has keys no process has yet): Validate, New, Check,
// Files, MeanRate and the docs tests all range over the registry. Check
// and CountArrivals call Build: building reads and checks every file.
type Process struct {
	Name string   // value of arrival.process
	Keys []string // keys of [workload.arrival] it reads ("rate", "trace", ...); any other one set is an error

	// Validate checks the process's keys without opening files; it adds
	// problems keyed relative to [workload] ("arrival.rate").
	Validate func(a *ArrivalConfig, v *Problems)
	// Build makes the arrival process of one run.
	Build func(a *ArrivalConfig, env *BuildEnv) (Arrivals, error)

	// Optional.
	Finite   func(a *ArrivalConfig) bool            // it ends by itself (nil: never)
	MeanRate func(a *ArrivalConfig) (float64, bool) // long-run rate, queries/s, when known from the keys alone
	Files    func(a *ArrivalConfig) []FileRef       // the files it reads, as written in the config
	Needs    func(a *ArrivalConfig) NeedsSource     // where each query's needs come from (nil: NeedsModel)
}

// FileRef is a file a configuration names, with the key that names it.
type FileRef struct {
	Key  string // relative to [workload], e.g. "arrival.trace.path"
	Path string // as written; resolve it against the experiment's directory
}

// NeedsSource says who sets a query's (accuracy, SLO) need.
type NeedsSource int

const (
	// NeedsModel: [workload.needs] classes, locality, phases and tenants.
	NeedsModel NeedsSource = iota
	// NeedsFromArrivals: the process sets MinAccuracy and SLO (Class -1);
	// [workload.needs] must be empty.
	NeedsFromArrivals
	// ClassFromArrivals: the process sets Class from the query's data;
	// [workload.needs.class] gives each class's needs, and locality, phases
	// and tenants must be unset.
	ClassFromArrivals
)

// BuildEnv is what Build gets besides the configuration.
type BuildEnv struct {
	Rand    *rand.Rand  // the arrivals random stream (never shared with needs)
	BaseDir string      // relative paths resolve against it
	Classes []NeedClass // [workload.needs.class], for ClassFromArrivals
}

var (
	registryMu sync.RWMutex
	registry   = map[string]*Process{}
)

// Register adds an arrival process; it panics on a programming error (an
// empty or taken name, a missing Validate or Build, a key that
// ArrivalConfig does not have), as registrations run at init.
func Register(p Process) {
	if p.Name == "" || p.Validate == nil || p.Build == nil {
		panic("workloads.Register: a process needs a Name, a Validate and a Build")
	}
	known := arrivalKeys()
	for _, k := range p.Keys {
		if _, ok := known[k]; !ok || k == "process" {
			panic(fmt.Sprintf("workloads.Register(%q): [workload.arrival] has no key %q; add its field to ArrivalConfig", p.Name, k))
		}
	}
	registryMu.Lock()
	defer registryMu.Unlock()
	if _, dup := registry[p.Name]; dup {
		panic(fmt.Sprintf("workloads.Register: process %q is already registered", p.Name))
	}
	registry[p.Name] = &p
}

// unregister removes a process (tests register toy ones).
func unregister(name string) {
	registryMu.Lock()
	defer registryMu.Unlock()
	delete(registry, name)
}

// Lookup returns the registered process called name.
func Lookup(name string) (*Process, bool) {
	registryMu.RLock()
	defer registryMu.RUnlock()
	p, ok := registry[name]
	return p, ok
}

// Processes lists the registered arrival process names, sorted.
func Processes() []string {
	registryMu.RLock()
	defer registryMu.RUnlock()
	return slices.Sorted(maps.Keys(registry))
}

// arrivalKeys maps each toml key of ArrivalConfig to its field index.
func arrivalKeys() map[string]int {
	t := reflect.TypeFor[ArrivalConfig]()
	out := map[string]int{}
	for i := range t.NumField() {
		if tag := t.Field(i).Tag.Get("toml"); tag != "" && tag != "-" {
			out[strings.Split(tag, ",")[0]] = i
		}
	}
	return out
}

// validate checks the process name, the process's own keys, and that no
// other key is set: a typo'd process name cannot silently ignore the rest.
func (a *ArrivalConfig) validate(v *Problems) {
	if a.Process == "" {
		v.Add("arrival.process", "required; one of %s", quoteList(Processes()))
		return
	}
	p, ok := Lookup(a.Process)
	if !ok {
		v.Add("arrival.process", "unknown process %q; known: %s", a.Process, quoteList(Processes()))
		return
	}
	p.Validate(a, v)
	val := reflect.ValueOf(a).Elem()
	keys := arrivalKeys()
	for _, k := range slices.Sorted(maps.Keys(keys)) {
		if k == "process" || slices.Contains(p.Keys, k) || val.Field(keys[k]).IsZero() {
			continue
		}
		var users []string
		for _, name := range Processes() {
			if q, _ := Lookup(name); slices.Contains(q.Keys, k) {
				users = append(users, name)
			}
		}
		v.Add("arrival."+k, "not used by process %q (only by %s); remove it", a.Process, strings.Join(users, ", "))
	}
}

// process returns the registered process of a, or nil.
func (a *ArrivalConfig) process() *Process {
	p, _ := Lookup(a.Process)
	return p
}

// Files lists the files the configuration reads, with the keys naming them.
func (c *Config) Files() []FileRef {
	if p := c.Arrival.process(); p != nil && p.Files != nil {
		return p.Files(&c.Arrival)
	}
	return nil
}

// MeanRate is the long-run arrival rate in queries/s when the keys alone
// determine it (synthetic processes; a trace replay with a target rate);
// ok is false otherwise (a trace at its own rate: read the file).
func (a ArrivalConfig) MeanRate() (rate float64, ok bool) {
	if p := a.process(); p != nil && p.MeanRate != nil {
		return p.MeanRate(&a)
	}
	return 0, false
}

// needsSource says who sets each query's needs.
func (c *Config) needsSource() NeedsSource {
	if p := c.Arrival.process(); p != nil && p.Needs != nil {
		return p.Needs(&c.Arrival)
	}
	return NeedsModel
}

// EndsByItself reports whether the arrival process is finite.
func (c *Config) EndsByItself() bool {
	p := c.Arrival.process()
	return p != nil && p.Finite != nil && p.Finite(&c.Arrival)
}
