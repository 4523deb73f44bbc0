package experiments

import (
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"

	"github.com/sushisim/sushisim/accel"
	"github.com/sushisim/sushisim/models"
	"github.com/sushisim/sushisim/policies"
)

type (
	cacheSpec    = policies.Spec[policies.Cache]
	selectorSpec = policies.Spec[policies.Selector]
	routerSpec   = policies.Spec[policies.Router]
)

// Defaults for keys an experiment may leave out.
const (
	defaultSeed     = 1
	defaultSuperNet = "ofa-resnet50"
	defaultCatalog  = "reference"
	defaultPreset   = "zcu104"
	defaultCache    = "none"
	defaultSelect   = "accuracy-first"
	defaultRouter   = "jsq"
)

// Load reads and validates an experiment file. It reports every problem it
// finds, not just the first: the error joins one line per problem, each
// "FILE:LINE: key.path: what is wrong (what is allowed)".
func Load(path string) (*Experiment, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(path, src)
}

// problems collects positioned errors for one file.
type problems struct {
	path  string
	lines map[string]int
	errs  []error
}

func (p *problems) add(key string, err error) {
	if err == nil {
		return
	}
	// a joined error holds several problems: position each one
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		for _, e := range j.Unwrap() {
			p.add(key, e)
		}
		return
	}
	msg := err.Error()
	full := key
	// errors from packages name keys relative to their table: "rate: ..."
	if k, _, ok := strings.Cut(msg, ": "); ok && !strings.Contains(k, " ") {
		if key != "" {
			full = key + "." + k
		} else {
			full = k
		}
		msg = msg[len(k)+2:]
	}
	n := lineOf(p.lines, full)
	if n == 0 {
		if k, m := findIndexed(p.lines, full); m > 0 {
			full, n = k, m
		}
	}
	if n > 0 {
		p.errs = append(p.errs, fmt.Errorf("%s:%d: %s: %s", p.path, n, full, msg))
	} else {
		p.errs = append(p.errs, fmt.Errorf("%s: %s: %s", p.path, full, msg))
	}
}

func (p *problems) err() error { return errors.Join(p.errs...) }

// Parse is Load on bytes already read; path names the file in errors and
// anchors relative paths.
func Parse(path string, src []byte) (*Experiment, error) {
	var f file
	p := &problems{path: path, lines: keyLines(src)}
	md, err := toml.Decode(string(src), &f)
	if err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			return nil, fmt.Errorf("%s:%d: %s", path, pe.Position.Line, strings.TrimPrefix(pe.Message, "toml: "))
		}
		p.typeError(err)
		return nil, p.err()
	}
	x := &Experiment{Path: path, Dir: filepath.Dir(path), Name: f.Name, Description: f.Description,
		Model: f.Model, Cluster: f.Cluster, Workload: f.Workload}
	x.Seed = defaultSeed
	if f.Seed != nil {
		x.Seed = *f.Seed
	}
	if x.Name == "" {
		x.Name = strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	}
	if x.Model.SuperNet == "" {
		x.Model.SuperNet = defaultSuperNet
	}
	if x.Model.Catalog == "" {
		x.Model.Catalog = defaultCatalog
	}
	if net, err := models.Lookup(x.Model.SuperNet); err != nil {
		p.add("model.supernet", err)
	} else if _, err := models.BuiltinCatalog(net, x.Model.Catalog); err != nil {
		p.add("model.catalog", err)
	}
	x.Hardware = decodeAccel(md, f.Accel, "accel", p)
	decodeGroups(md, x, p)
	p.add("workload", x.Workload.Validate())
	if len(f.Policy) == 0 {
		p.add("policy", fmt.Errorf("at least one [[policy]] table is required"))
	}
	names := map[string]int{}
	for i, prim := range f.Policy {
		key := fmt.Sprintf("policy[%d]", i)
		pol, ok := decodePolicy(md, prim, key, p)
		if !ok {
			continue
		}
		if j, dup := names[pol.Name]; dup {
			p.add(key+".name", fmt.Errorf("%q already names policy[%d]; names must be unique", pol.Name, j))
		}
		names[pol.Name] = i
		x.Policies = append(x.Policies, pol)
	}
	for _, k := range undecoded(md) {
		msg := "unknown key (check the spelling; docs/experiments.md lists every key)"
		if strings.HasPrefix(k, "policy.") {
			msg = "unknown key for this policy (allowed: " + strings.Join(policyKeys(x.Policies), ", ") + ")"
		}
		p.add(k, errors.New(msg))
	}
	if err := p.err(); err != nil {
		return nil, err
	}
	return x, nil
}

// decodeGroups fills x.Groups from [[cluster.group]], or makes one group of
// cluster.instances copies of [accel].
func decodeGroups(md toml.MetaData, x *Experiment, p *problems) {
	c := &x.Cluster
	if len(c.Group) == 0 {
		if c.Instances == 0 {
			c.Instances = 1
		}
		if c.Instances < 0 {
			p.add("cluster.instances", fmt.Errorf("must be >= 1, got %d", c.Instances))
			return
		}
		x.Groups = []Group{{Name: "all", Count: c.Instances, Hardware: x.Hardware}}
		return
	}
	if c.Instances != 0 {
		p.add("cluster.instances", fmt.Errorf("leave it out when [[cluster.group]] tables give the counts"))
	}
	for i, g := range c.Group {
		key := fmt.Sprintf("cluster.group[%d]", i)
		if g.Count < 1 {
			p.add(key+".count", fmt.Errorf("must be >= 1, got %d", g.Count))
		}
		if g.Name == "" {
			g.Name = fmt.Sprintf("group%d", i)
		}
		hw := decodeAccel(md, g.Accel, key+".accel", p)
		x.Groups = append(x.Groups, Group{Name: g.Name, Count: g.Count, Hardware: hw})
		c.Instances += g.Count
	}
}

// decodeAccel starts from the preset the table names and overlays its keys.
func decodeAccel(md toml.MetaData, prim toml.Primitive, key string, p *problems) accel.Hardware {
	var head struct {
		Preset string `toml:"preset"`
	}
	_ = md.PrimitiveDecode(prim, &head)
	if head.Preset == "" {
		head.Preset = defaultPreset
	}
	h, err := accel.Preset(head.Preset)
	if err != nil {
		p.add(key, err)
		return h
	}
	if err := md.PrimitiveDecode(prim, &h); err != nil {
		p.typeError(err)
		return h
	}
	p.add(key, h.Validate())
	return h
}

// decodePolicy decodes one [[policy]]: first which components it names, then
// each component's parameters from the same table.
func decodePolicy(md toml.MetaData, prim toml.Primitive, key string, p *problems) (Policy, bool) {
	var pol Policy
	if err := md.PrimitiveDecode(prim, &pol.PolicyConfig); err != nil {
		p.typeError(err)
		return pol, false
	}
	c := &pol.PolicyConfig
	if c.Cache == "" {
		c.Cache = defaultCache
	}
	if c.Select == "" {
		c.Select = defaultSelect
	}
	if c.Router == "" {
		c.Router = defaultRouter
	}
	if c.Name == "" {
		c.Name = c.Cache
	}
	ok := true
	var err error
	if pol.CacheSpec, err = policies.CacheSpecFor(c.Cache); err != nil {
		p.add(key+".cache", err)
		ok = false
	} else {
		ok = decodeSpec(md, prim, key, pol.CacheSpec, p) && ok
	}
	if pol.SelectorSpec, err = policies.SelectorSpecFor(c.Select); err != nil {
		p.add(key+".select", err)
		ok = false
	} else {
		ok = decodeSpec(md, prim, key, pol.SelectorSpec, p) && ok
	}
	if pol.RouterSpec, err = policies.RouterSpecFor(c.Router); err != nil {
		p.add(key+".router", err)
		ok = false
	} else {
		ok = decodeSpec(md, prim, key, pol.RouterSpec, p) && ok
	}
	return pol, ok
}

func decodeSpec(md toml.MetaData, prim toml.Primitive, key string, spec interface{ Validate() error }, p *problems) bool {
	if err := md.PrimitiveDecode(prim, spec); err != nil {
		p.typeError(err)
		return false
	}
	if err := spec.Validate(); err != nil {
		p.add(key, err)
		return false
	}
	return true
}

// policyKeys lists the keys a [[policy]] table may hold given the
// components its entries chose.
func policyKeys(pols []Policy) []string {
	set := map[string]bool{}
	add := func(v any) {
		t := reflect.TypeOf(v)
		for t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		for i := 0; i < t.NumField(); i++ {
			if tag := t.Field(i).Tag.Get("toml"); tag != "" && tag != "-" {
				set[strings.Split(tag, ",")[0]] = true
			}
		}
	}
	add(PolicyConfig{})
	for _, p := range pols {
		add(p.CacheSpec)
		add(p.SelectorSpec)
		add(p.RouterSpec)
	}
	return slices.Sorted(maps.Keys(set))
}

var tomlTypeErr = regexp.MustCompile(`^toml: (?:line (\d+) )?\(last key "([^"]*)"\): (.*)$`)

// typeError positions BurntSushi's decode errors ("toml: line 3 (last key
// "a.b"): incompatible types...") like every other problem. Keys inside
// arrays of tables come without their index; the line finds it.
func (p *problems) typeError(err error) {
	m := tomlTypeErr.FindStringSubmatch(err.Error())
	if m == nil {
		p.errs = append(p.errs, fmt.Errorf("%s: %w", p.path, err))
		return
	}
	line, key, msg := m[1], m[2], m[3]
	if line != "" {
		n, _ := strconv.Atoi(line)
		for k, l := range p.lines { // prefer the indexed spelling of the key
			if l == n && indexRE.ReplaceAllString(k, "") == key {
				key = k
				break
			}
		}
		p.errs = append(p.errs, fmt.Errorf("%s:%s: %s: %s", p.path, line, key, msg))
		return
	}
	p.add(key, errors.New(msg))
}

// undecoded lists the keys no field consumed, with array-of-table indexes
// as errors name them, sorted.
func undecoded(md toml.MetaData) []string {
	var out []string
	seen := map[string]bool{}
	for _, k := range md.Undecoded() {
		// report a whole unknown table once, not each of its keys
		parent := false
		for i := 1; i < len(k); i++ {
			if seen[k[:i].String()] {
				parent = true
				break
			}
		}
		if parent {
			continue
		}
		seen[k.String()] = true
		out = append(out, k.String())
	}
	sort.Strings(out)
	return out
}
