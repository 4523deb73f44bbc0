package policies

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// A Spec is one policy's parameters, decoded from the experiment file (the
// toml tags name the keys of a [[policy]] table) and validated before any
// run starts. Build makes a fresh policy value: one per instance for caches,
// one per cluster for selectors and routers.
type Spec[T any] interface {
	Validate() error
	Build(env *Env) (T, error)
}

// Registries: a new policy is one type and one line here.
var (
	caches = map[string]func() Spec[Cache]{
		"none": func() Spec[Cache] { return &NoneSpec{} },
		"sgs":  func() Spec[Cache] { return &SGSSpec{Q: 50, Window: 200} },
	}
	selectors = map[string]func() Spec[Selector]{
		"accuracy-first": func() Spec[Selector] { return &AccuracyFirstSpec{} },
	}
	routers = map[string]func() Spec[Router]{
		"round-robin": func() Spec[Router] { return &RoundRobinSpec{} },
		"jsq":         func() Spec[Router] { return &JSQSpec{} },
	}
)

func lookup[T any](kind, name string, m map[string]func() Spec[T]) (Spec[T], error) {
	f, ok := m[name]
	if !ok {
		return nil, fmt.Errorf("unknown %s policy %q (known: %s)", kind, name, strings.Join(slices.Sorted(maps.Keys(m)), ", "))
	}
	return f(), nil
}

// CacheSpecFor returns the default parameters of the named cache policy.
func CacheSpecFor(name string) (Spec[Cache], error) { return lookup("cache", name, caches) }

// SelectorSpecFor returns the default parameters of the named SubNet selector.
func SelectorSpecFor(name string) (Spec[Selector], error) {
	return lookup("select", name, selectors)
}

// RouterSpecFor returns the default parameters of the named router.
func RouterSpecFor(name string) (Spec[Router], error) { return lookup("router", name, routers) }

// NoneSpec builds NoCache; it has no parameters.
type NoneSpec struct{}

// Validate implements Spec.
func (*NoneSpec) Validate() error { return nil }

// Build implements Spec.
func (*NoneSpec) Build(env *Env) (Cache, error) {
	return &NoCache{}, nil
}

// SGSSpec holds SushiSched's cache parameters.
type SGSSpec struct {
	Q      int `toml:"q"`      // decide every Q served queries
	Window int `toml:"window"` // from the last Window served SubNets
}

// Validate implements Spec.
func (s *SGSSpec) Validate() error {
	if s.Q < 1 {
		return fmt.Errorf("q: must be >= 1, got %d", s.Q)
	}
	if s.Window < 1 {
		return fmt.Errorf("window: must be >= 1, got %d", s.Window)
	}
	return nil
}

// Build implements Spec.
func (s *SGSSpec) Build(env *Env) (Cache, error) {
	capacity := env.Hardware.PBBytes / int64(env.Hardware.DataBytes)
	return newSGS(env.Catalog, s.Q, s.Window, capacity, env.Catalog.SubNets[0].Net.NumLayers()), nil
}

// AccuracyFirstSpec builds AccuracyFirst; it has no parameters.
type AccuracyFirstSpec struct{}

// Validate implements Spec.
func (*AccuracyFirstSpec) Validate() error { return nil }

// Build implements Spec.
func (*AccuracyFirstSpec) Build(env *Env) (Selector, error) {
	return &AccuracyFirst{cat: env.Catalog}, nil
}

// RoundRobinSpec builds RoundRobin.
type RoundRobinSpec struct{}

// Validate implements Spec.
func (*RoundRobinSpec) Validate() error { return nil }

// Build implements Spec.
func (*RoundRobinSpec) Build(*Env) (Router, error) { return &RoundRobin{}, nil }

// JSQSpec builds JSQ.
type JSQSpec struct{}

// Validate implements Spec.
func (*JSQSpec) Validate() error { return nil }

// Build implements Spec.
func (*JSQSpec) Build(*Env) (Router, error) { return JSQ{}, nil }
