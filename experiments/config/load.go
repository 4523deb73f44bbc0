package config

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"maps"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"

	"github.com/sushisim/sushisim/accel"
	"github.com/sushisim/sushisim/experiments/results"
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

// Parse is Load on bytes already read; path names the file in errors and
// anchors relative paths.
func Parse(path string, src []byte) (*Experiment, error) {
	var f file
	lines := keyLines(src)
	p := &problems{path: path, lines: lines}
	md, err := toml.Decode(string(src), &f)
	if err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			return nil, fmt.Errorf("%s:%d: %s", path, pe.Position.Line, strings.TrimPrefix(pe.Message, "toml: "))
		}
		p.typeError(err)
		return nil, p.err()
	}
	var raw map[string]any
	if _, err := toml.Decode(string(src), &raw); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	sw := parseSweep(md, f.Sweep, p)
	out := checkOutput(f.Output, p)

	x := &Experiment{Description: f.Description}
	if len(sw.axes) == 0 {
		x.Settings = decodeSettings(path, md, &f, p)
		x.Points = []Point{{Index: 0, Settings: x.Settings}}
	} else {
		// The file's own values are only defaults for the points: a
		// problem counts when a point has it (each point is checked).
		x.Settings = decodeSettings(path, md, &f, &problems{path: path, lines: lines})
		x.Points = expandPoints(path, raw, lines, &sw, p)
	}
	x.Sweep, x.Output, x.Source = sw, out, append([]byte(nil), src...)
	for _, pt := range x.Points {
		if out.WindowS > 0 && pt.Datacenter.Cells > 1 {
			// the per-run windows of cells are not merged into the datacenter's
			p.add("output.window_s", fmt.Errorf("a datacenter of %d cells has its own windows: set datacenter.window_s instead", pt.Datacenter.Cells))
			break
		}
	}
	x.Figures = checkFigures(f.Figure, sw.Keys, p)
	checkWindows(x, p)
	checkTasks(x, p)
	checkFilterValues(x, p)
	if err := p.err(); err != nil {
		return nil, err
	}
	x.Hash = planHash(raw)
	return x, nil
}

// decodeSettings builds and checks the settings of one run (the file
// itself, or a sweep point) from its decoded document.
func decodeSettings(path string, md toml.MetaData, f *file, p *problems) Settings {
	x := &Settings{Path: path, Dir: filepath.Dir(path), Name: f.Name,
		Model: f.Model, Cluster: f.Cluster, Workload: f.Workload, Engine: f.Engine}
	x.Seed = defaultSeed
	switch x.Engine.Kernel {
	case "":
		x.Engine.Kernel = KernelSushisim
	case KernelSushisim, KernelSimgo:
	default:
		p.add("engine.kernel", fmt.Errorf("%q unknown (allowed: %s, %s)", x.Engine.Kernel, KernelSushisim, KernelSimgo))
	}
	if f.Seed != nil {
		x.Seed = *f.Seed
	}
	if x.Name == "" {
		x.Name = SafeName(strings.TrimSuffix(filepath.Base(path), filepath.Ext(path)))
	} else {
		p.add("name", CheckName(x.Name))
	}
	x.Hardware = decodeAccel(md, f.Accel, "accel", p)
	decodeGroups(md, x, p)
	checkModel(md, x, p)
	p.add("workload", x.Workload.Validate())
	x.Datacenter = decodeDatacenter(md, f.Datacenter, x, p)
	checkLimits(x, p)
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
		p.add(key+".name", CheckName(pol.Name))
		if j, dup := names[pol.Name]; dup {
			p.add(key+".name", fmt.Errorf("%q already names policy[%d]; names must be unique", pol.Name, j))
		}
		names[pol.Name] = i
		x.Policies = append(x.Policies, pol)
	}
	for _, k := range undecoded(md) {
		if k == "sweep" || strings.HasPrefix(k, "sweep.") || isFigureFilter(k) {
			continue // checked by parseSweep and checkFigures
		}
		msg := "unknown key (check the spelling; docs/experiments.md lists every key)"
		if strings.HasPrefix(k, "policy.") {
			msg = "unknown key for this policy (allowed: " + strings.Join(policyKeys(x.Policies), ", ") + ")"
		}
		p.add(k, errors.New(msg))
	}
	return *x
}

var figureFilterRE = regexp.MustCompile(`^figure(\[\d+\])?\.filter(\.|$)`)

func isFigureFilter(k string) bool { return figureFilterRE.MatchString(k) }

// checkModel fills [model]'s defaults and checks that its SubNets can be
// built: the SuperNet exists, exactly one source of SubNets is given, and a
// catalog names a builtin catalog or a readable CSV file.
func checkModel(md toml.MetaData, x *Settings, p *problems) {
	m := &x.Model
	var sources []string
	if m.Catalog != "" {
		sources = append(sources, "catalog")
	}
	if md.IsDefined("model", "sample") {
		sources = append(sources, "sample")
		if m.Sample < 1 {
			p.add("model.sample", fmt.Errorf("must be >= 1 (the number of SubNets to draw), got %d", m.Sample))
		}
	}
	if md.IsDefined("model", "sweep") {
		sources = append(sources, "sweep")
		if m.Sweep < 1 {
			p.add("model.sweep", fmt.Errorf("must be >= 1 (the number of SubNets along the sweep), got %d", m.Sweep))
		}
	}
	if len(sources) > 1 {
		p.add("model", fmt.Errorf("%s are alternatives: set only one of catalog, sample and sweep", strings.Join(sources, " and ")))
		return
	}
	if md.IsDefined("model", "sample_seed") {
		if m.Sample == 0 {
			p.add("model.sample_seed", errors.New("only means something with sample = N"))
		}
	} else {
		m.SampleSeed = x.Seed
	}
	if len(sources) == 0 {
		m.Catalog = defaultCatalog
	}
	var csvNet *models.SuperNet
	if m.Catalog != "" && IsCatalogFile(m.Catalog) {
		c, err := models.LoadCatalogCSV(Resolve(x.Dir, m.Catalog))
		if err != nil {
			p.add("model.catalog", errors.New(strings.TrimPrefix(err.Error(), "catalog: ")))
			return
		}
		csvNet = c.Net
	}
	if m.SuperNet == "" {
		m.SuperNet = defaultSuperNet
		if csvNet != nil {
			m.SuperNet = csvNet.Name
		}
	}
	net, err := models.Lookup(m.SuperNet)
	if err != nil {
		p.add("model.supernet", errors.New(strings.TrimPrefix(err.Error(), "supernet ")))
		return
	}
	switch {
	case csvNet != nil && csvNet != net:
		p.add("model.catalog", fmt.Errorf("%s holds %s SubNets, but model.supernet is %s", m.Catalog, csvNet.Name, net.Name))
	case m.Catalog != "" && csvNet == nil:
		if !slices.Contains(models.BuiltinCatalogNames(net), m.Catalog) {
			p.add("model.catalog", fmt.Errorf("%q is neither a builtin catalog of %s (builtin: %s) nor a .csv file",
				m.Catalog, net.Name, strings.Join(models.BuiltinCatalogNames(net), ", ")))
		}
	case m.Sweep > 0:
		if steps := models.SweepSteps(net); m.Sweep > steps {
			p.add("model.sweep", fmt.Errorf("%d is more than the %d distinct steps from the smallest to the largest %s SubNet", m.Sweep, steps, net.Name))
		}
	}
}

// IsCatalogFile tells a catalog file from a builtin catalog name.
func IsCatalogFile(s string) bool {
	return strings.HasSuffix(strings.ToLower(s), ".csv") || strings.ContainsAny(s, `/\`)
}

// Resolve anchors a path from the experiment file at the file's directory.
func Resolve(dir, path string) string {
	if filepath.IsAbs(path) {
		return path
	}
	return filepath.Join(dir, path)
}

// decodeGroups fills x.Groups from [[cluster.group]], or makes one group of
// cluster.instances copies of [accel].
func decodeGroups(md toml.MetaData, x *Settings, p *problems) {
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
		if g.Count < 1 || g.Count > MaxInstances {
			p.add(key+".count", fmt.Errorf("must be from 1 to %d, got %d", MaxInstances, g.Count))
			g.Count = 0 // so the total cannot overflow
		}
		if g.Name == "" {
			g.Name = fmt.Sprintf("group%d", i)
		} else {
			p.add(key+".name", CheckName(g.Name))
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
		for _, k := range policies.Keys(v) {
			set[k] = true
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

// planHash identifies what a results directory's numbers depend on: every
// key of the file except the description, the figures, and where and in
// which formats they are drawn, so that editing those never invalidates
// results.
func planHash(raw map[string]any) string {
	doc := maps.Clone(raw)
	delete(doc, "figure")
	delete(doc, "description")
	if out, ok := doc["output"].(map[string]any); ok {
		out = maps.Clone(out)
		delete(out, "dir")
		delete(out, "formats")
		doc["output"] = out
	}
	h := sha256.Sum256([]byte(results.Version + "\n" + canonical(doc)))
	return hex.EncodeToString(h[:12])
}

// checkOutput validates [output].
func checkOutput(o OutputConfig, p *problems) OutputConfig {
	for i, f := range o.Formats {
		if !slices.Contains(results.FigureFormats, f) {
			p.add(fmt.Sprintf("output.formats[%d]", i), fmt.Errorf("%q unknown (allowed: %s)", f, strings.Join(results.FigureFormats, ", ")))
		}
	}
	if len(o.Formats) == 0 {
		o.Formats = []string{"png"}
	}
	if o.WindowS < 0 || (o.WindowS > 0 && o.WindowS < minWindowS) || math.IsNaN(o.WindowS) {
		p.add("output.window_s", fmt.Errorf("must be 0 (no time series) or at least %g s (a microsecond), got %v", minWindowS, o.WindowS))
	}
	return o
}

// canonical writes a decoded TOML value with sorted keys and typed leaves,
// so equal documents give equal strings.
func canonical(v any) string {
	var b strings.Builder
	var walk func(v any)
	walk = func(v any) {
		switch t := v.(type) {
		case map[string]any:
			b.WriteByte('{')
			for i, k := range slices.Sorted(maps.Keys(t)) {
				if i > 0 {
					b.WriteByte(',')
				}
				b.WriteString(strconv.Quote(k) + ":")
				walk(t[k])
			}
			b.WriteByte('}')
		case []map[string]any: // an array of tables: written as any array
			s := make([]any, len(t))
			for i, e := range t {
				s[i] = e
			}
			walk(s)
		case []any:
			b.WriteByte('[')
			for i, e := range t {
				if i > 0 {
					b.WriteByte(',')
				}
				walk(e)
			}
			b.WriteByte(']')
		case string:
			b.WriteString(strconv.Quote(t))
		default:
			fmt.Fprintf(&b, "%T(%v)", t, t)
		}
	}
	walk(v)
	return b.String()
}
