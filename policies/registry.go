package policies

import (
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
)

// A Spec is one policy's parameters, decoded from the experiment file (the
// toml tags name the keys of a [[policy]] table) and validated before any
// run starts. Build makes a fresh policy value: one per instance for caches,
// one per cluster for selectors and routers. Validate's errors start with
// the key they are about ("q: must be >= 1, got 0").
type Spec[T any] interface {
	Validate() error
	Build(env *Env) (T, error)
}

// Registries: a new policy is one type and one line here (its
// registration), whose value holds the parameters' defaults; the recipe is
// docs/extending.md. Keys are flat in the [[policy]] table, so no key may
// mean two things across kinds (a cache's and a router's).
var (
	caches = map[string]func() Spec[Cache]{
		"none":      func() Spec[Cache] { return &NoneSpec{} },
		"static":    func() Spec[Cache] { return &StaticSpec{SubGraph: staticAuto} },
		"lru":       func() Spec[Cache] { return &LRUSpec{} },
		"sgs":       func() Spec[Cache] { return &SGSSpec{Q: 50, Window: 200, Candidates: "greedy"} },
		"lookahead": func() Spec[Cache] { return &LookaheadSpec{Q: 50, Window: 200, Candidates: "greedy"} },
	}
	selectors = map[string]func() Spec[Selector]{
		"accuracy-first": func() Spec[Selector] { return &AccuracyFirstSpec{SelectorParams{Admission: admServeLate}} },
		"latency-first":  func() Spec[Selector] { return &LatencyFirstSpec{SelectorParams{Admission: admServeLate}} },
		"slack":          func() Spec[Selector] { return &SlackSpec{SelectorParams{Admission: admServeLate}} },
		"fixed": func() Spec[Selector] {
			return &FixedSpec{SubNet: fixedMostAccurate, SelectorParams: SelectorParams{Admission: admServeLate}}
		},
	}
	routers = map[string]func() Spec[Router]{
		"round-robin":  func() Spec[Router] { return &RoundRobinSpec{} },
		"jsq":          func() Spec[Router] { return &JSQSpec{} },
		"random":       func() Spec[Router] { return &RandomSpec{} },
		"power-of-two": func() Spec[Router] { return &PowerOfTwoSpec{D: 2} },
		"least-work":   func() Spec[Router] { return &LeastWorkSpec{} },
		"affinity":     func() Spec[Router] { return &AffinitySpec{} },
	}
)

// renamed are names policies no longer answer to, with the reason and the
// name to use: a file written for an older sushisim fails with the way out.
var renamed = map[string]string{
	"oracle": `cache "oracle" is now "lookahead": it is a clairvoyant heuristic, not a bound (it can move more off-chip bytes than lru or static); the off-chip bounds are the offchip_bound_bytes_per_query column and policies.OptimalSchedule`,
}

func lookup[T any](kind, name string, m map[string]func() Spec[T]) (Spec[T], error) {
	f, ok := m[name]
	if why, old := renamed[name]; !ok && old {
		return nil, fmt.Errorf("%s", why)
	}
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

// CacheNames lists the registered cache policies, sorted.
func CacheNames() []string { return slices.Sorted(maps.Keys(caches)) }

// SelectorNames lists the registered SubNet selectors, sorted.
func SelectorNames() []string { return slices.Sorted(maps.Keys(selectors)) }

// RouterNames lists the registered routers, sorted.
func RouterNames() []string { return slices.Sorted(maps.Keys(routers)) }

// Keys lists the [[policy]] keys a spec takes: the toml tags of its fields,
// including those of embedded parameter structs (SelectorParams).
func Keys(spec any) []string {
	t := reflect.TypeOf(spec)
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == nil || t.Kind() != reflect.Struct {
		return nil
	}
	var out []string
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if f.Anonymous && f.Tag.Get("toml") == "" {
			out = append(out, Keys(reflect.New(f.Type).Interface())...)
			continue
		}
		if tag := f.Tag.Get("toml"); tag != "" && tag != "-" {
			out = append(out, strings.Split(tag, ",")[0])
		}
	}
	return out
}
