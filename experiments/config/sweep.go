package config

import (
	"bytes"
	"errors"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"

	"github.com/sushisim/sushisim/experiments/results"
)

// Sweep is [sweep]: a grid over dotted keys of the file (each list is one
// axis), zipped lists that vary together ([[sweep.zip]], one axis each), and
// replications of every point with seeds derived from the point's seed.
type Sweep struct {
	Keys         []string // every swept key, in file order: the extra columns of the results
	Replications int      // runs of every point, each with its own seed (default 1)
	axes         []axis
	lines        map[string]int // line of each swept key's list
}

// axis is one dimension of the grid: one key, or a zip group of several
// keys whose lists have the same length.
type axis struct {
	keys   []string
	values [][]any // values[k][i]: key k's i-th value
}

func (a axis) len() int { return len(a.values[0]) }

// Point is one point of a sweep: the swept keys' values and the settings
// they make.
type Point struct {
	Index  int
	Values []any // one per Sweep.Keys
	Settings
}

// Label names a point's values, "accel.pb_bytes=1048576, policy.cache=sgs".
func (p Point) Label(keys []string) string {
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + "=" + results.FormatValue(p.Values[i])
	}
	return strings.Join(parts, ", ")
}

// ReplicationSeed is the seed of replication r of a point whose seed is
// seed: the seed itself for r = 0 (so one replication is the plain run),
// else a SplitMix64 mix of the two, far apart for neighbouring r.
func ReplicationSeed(seed uint64, r int) uint64 {
	if r == 0 {
		return seed
	}
	z := seed + uint64(r)*0x9e3779b97f4a7c15
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// sweepReserved are tables a sweep cannot change: they are not part of a
// run.
var sweepReserved = []string{"sweep", "figure", "output"}

// parseSweep reads [sweep]. The keys of its lists are the dotted paths of
// the keys they sweep: inside [sweep], accel.pb_bytes = [...] is a TOML
// dotted key, so the decoded table nests; md.Keys gives the file order.
func parseSweep(md toml.MetaData, prim toml.Primitive, p *problems) Sweep {
	sp := &sweepParser{sw: Sweep{Replications: 1, lines: map[string]int{}}, p: p, seen: map[string]string{}}
	if !md.IsDefined("sweep") {
		return sp.sw
	}
	var m map[string]any
	if err := md.PrimitiveDecode(prim, &m); err != nil {
		p.typeError(err)
		return sp.sw
	}
	if r, ok := m["replications"]; ok {
		n, isInt := r.(int64)
		if !isInt || n < 1 || n > MaxReplications {
			p.add("sweep.replications", fmt.Errorf("want an integer from 1 to %d, got %v", MaxReplications, r))
		} else {
			sp.sw.Replications = int(n)
		}
	}
	zipOrder := sp.grid(md, m)
	sp.zips(m, zipOrder)
	for k := range m {
		if k != "replications" && k != "zip" {
			if _, isMap := m[k].(map[string]any); !isMap {
				if _, isList := m[k].([]any); !isList {
					p.add("sweep."+k, errors.New("want a list of values to sweep, e.g. [1, 2]"))
				}
			}
		}
	}
	// Columns follow the file: keys in the order their lists appear.
	sw := &sp.sw
	for _, ax := range sw.axes {
		sw.Keys = append(sw.Keys, ax.keys...)
	}
	slices.SortStableFunc(sw.Keys, func(a, b string) int { return sw.lines[a] - sw.lines[b] })
	return *sw
}

// sweepParser collects the axes of [sweep] and its problems.
type sweepParser struct {
	sw   Sweep
	p    *problems
	seen map[string]string // key -> where it is swept
}

// addKey admits a swept key once, outside the tables a sweep cannot change.
func (sp *sweepParser) addKey(key, where string) bool {
	if prev, dup := sp.seen[key]; dup {
		sp.p.add(where, fmt.Errorf("%s is already swept by %s: a key takes one list", key, prev))
		return false
	}
	root := strings.SplitN(key, ".", 2)[0]
	if slices.Contains(sweepReserved, pathName(root)) {
		sp.p.add(where, fmt.Errorf("[%s] cannot be swept: it does not change a run", pathName(root)))
		return false
	}
	if _, err := parsePath(key); err != nil {
		sp.p.add(where, err)
		return false
	}
	sp.seen[key] = where
	return true
}

// grid adds one axis per list of [sweep] and returns the leaf paths of
// [[sweep.zip]] in file order.
func (sp *sweepParser) grid(md toml.MetaData, m map[string]any) []string {
	var zipOrder []string
	for _, k := range md.Keys() {
		if len(k) < 2 || k[0] != "sweep" || k[1] == "replications" {
			continue
		}
		if k[1] == "zip" {
			if len(k) > 2 && md.Type(k...) != "Hash" {
				zipOrder = append(zipOrder, strings.Join(k[2:], "."))
			}
			continue
		}
		switch md.Type(k...) {
		case "Hash":
			continue // a table on the way to a list
		case "Array":
		default:
			sp.p.add(k.String(), fmt.Errorf("want a list of values to sweep, e.g. [1, 2]; got a %s", strings.ToLower(md.Type(k...))))
			continue
		}
		key := strings.Join(k[1:], ".")
		vals, _ := lookupMap(m, k[1:]).([]any)
		where := "sweep." + key
		if len(vals) == 0 {
			sp.p.add(where, errors.New("empty list: give at least one value"))
			continue
		}
		if !sp.addKey(key, where) {
			continue
		}
		sp.sw.lines[key] = lineOf(sp.p.lines, where)
		sp.sw.axes = append(sp.sw.axes, axis{keys: []string{key}, values: [][]any{vals}})
	}
	return zipOrder
}

// zips adds one axis per [[sweep.zip]]: lists of equal length that vary
// together.
func (sp *sweepParser) zips(m map[string]any, zipOrder []string) {
	zips, _ := m["zip"].([]map[string]any)
	if _, ok := m["zip"]; ok && zips == nil {
		sp.p.add("sweep.zip", errors.New("want [[sweep.zip]] tables, each holding lists of equal length"))
	}
	for j, z := range zips {
		where := fmt.Sprintf("sweep.zip[%d]", j)
		leaves := map[string]any{}
		flatten(z, "", leaves)
		var ax axis
		for _, key := range zipOrder {
			v, ok := leaves[key]
			if !ok || slices.Contains(ax.keys, key) {
				continue
			}
			vals, isList := v.([]any)
			if !isList || len(vals) == 0 {
				sp.p.add(where+"."+key, errors.New("want a non-empty list of values"))
				continue
			}
			if !sp.addKey(key, where+"."+key) {
				continue
			}
			if len(ax.keys) > 0 && len(vals) != ax.len() {
				sp.p.add(where+"."+key, fmt.Errorf("%d values, but %s has %d: zipped lists vary together, so they need the same length",
					len(vals), ax.keys[0], ax.len()))
				continue
			}
			sp.sw.lines[key] = lineOf(sp.p.lines, where+"."+key)
			ax.keys = append(ax.keys, key)
			ax.values = append(ax.values, vals)
		}
		if len(ax.keys) == 0 {
			sp.p.add(where, errors.New("holds no lists to zip"))
			continue
		}
		sp.sw.axes = append(sp.sw.axes, ax)
	}
}

// flatten collects the leaves of nested tables under dotted paths.
func flatten(m map[string]any, prefix string, out map[string]any) {
	for k, v := range m {
		path := k
		if prefix != "" {
			path = prefix + "." + k
		}
		if sub, ok := v.(map[string]any); ok {
			flatten(sub, path, out)
			continue
		}
		out[path] = v
	}
}

func lookupMap(m map[string]any, path []string) any {
	var cur any = m
	for _, k := range path {
		t, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		cur = t[k]
	}
	return cur
}

// size is the number of points of the grid, as a float64: the product of
// a few long lists overflows an int (four lists of 65,536 wrapped to 0
// points, and the empty plan panicked downstream).
func (sw *Sweep) size() float64 {
	total := 1.0
	for _, ax := range sw.axes {
		total *= float64(ax.len())
	}
	return total
}

// combinations enumerates the grid: the last axis varies fastest. The
// grid is at most MaxPoints.
func (sw *Sweep) combinations() [][]int {
	total := int(sw.size())
	out := make([][]int, total)
	for n := range total {
		idx := make([]int, len(sw.axes))
		rest := n
		for a := len(sw.axes) - 1; a >= 0; a-- {
			idx[a] = rest % sw.axes[a].len()
			rest /= sw.axes[a].len()
		}
		out[n] = idx
	}
	return out
}

// expandPoints builds and checks the settings of every sweep point: the
// file with the point's values set, re-encoded and decoded like the file
// itself. Problems common to several points are reported once, with the
// points that have them.
//
// Why a point goes through TOML text again: a swept value may change what
// the rest of its table means (accel.preset picks the base an [accel]
// table overlays, policy.cache which parameters a [[policy]] takes,
// seed the default sample_seed), and the strict checks (unknown keys,
// types) come from BurntSushi/toml's MetaData, which only a decode of text
// gives. Setting swept values on decoded structs instead would mean
// writing a second TOML decoder. The cost, paid once at load, is about
// 0.15 ms a point (200 points of the quickstart in 29 ms, 2-core machine,
// December 2026).
func expandPoints(path string, raw map[string]any, lines map[string]int, sw *Sweep, p *problems) []Point {
	if total := sw.size(); total > MaxPoints {
		p.add("sweep", fmt.Errorf("%.6g points; at most %d (split the sweep into several files)", total, MaxPoints))
		return nil
	}
	base := maps.Clone(raw)
	for _, k := range sweepReserved {
		delete(base, k)
	}
	plines := maps.Clone(lines)
	for k, n := range sw.lines {
		plines[k] = n // a swept key's problems point at its list
	}
	type seenProblem struct {
		problem
		points []int
	}
	var order []string
	found := map[string]*seenProblem{}
	var points []Point
	for n, idx := range sw.combinations() {
		pt := Point{Index: n, Values: make([]any, len(sw.Keys))}
		doc := deepCopy(base).(map[string]any)
		pp := &problems{path: path, lines: plines, reencoded: true}
		for a, ax := range sw.axes {
			for k, key := range ax.keys {
				v := ax.values[k][idx[a]]
				pt.Values[slices.Index(sw.Keys, key)] = v
				if err := setPath(doc, key, v); err != nil {
					pp.add(key, err)
				}
			}
		}
		if len(pp.list) == 0 {
			var buf bytes.Buffer
			if err := toml.NewEncoder(&buf).Encode(doc); err != nil {
				pp.add("sweep", err)
			} else {
				var f file
				md, err := toml.Decode(buf.String(), &f)
				if err != nil {
					pp.typeError(err)
				} else {
					pt.Settings = decodeSettings(path, md, &f, pp)
				}
			}
		}
		for _, q := range pp.list {
			id := q.format("")
			if s, ok := found[id]; ok {
				s.points = append(s.points, n)
				continue
			}
			found[id] = &seenProblem{problem: q, points: []int{n}}
			order = append(order, id)
			// the first point that has it gives its values in the message
			found[id].msg += fmt.Sprintf(" [sweep point %d: %s]", n, pt.Label(sw.Keys))
		}
		points = append(points, pt)
	}
	for _, id := range order {
		s := found[id]
		if len(s.points) > 1 {
			s.msg += fmt.Sprintf(" (and %d more point(s))", len(s.points)-1)
		}
		p.list = append(p.list, s.problem)
	}
	return points
}

// pathPart is one segment of a swept key: a name, and an index when it
// picks one table of an array of tables ("policy[1]").
type pathPart struct {
	name  string
	index int // -1: every table of an array, or a plain table
}

var partRE = regexp.MustCompile(`^([A-Za-z0-9_-]+)(?:\[(\d+)\])?$`)

func parsePath(key string) ([]pathPart, error) {
	var out []pathPart
	for _, s := range strings.Split(key, ".") {
		m := partRE.FindStringSubmatch(s)
		if m == nil {
			return nil, fmt.Errorf("%q is not a key path (want names joined by dots, e.g. accel.pb_bytes or policy[1].q)", key)
		}
		pp := pathPart{name: m[1], index: -1}
		if m[2] != "" {
			pp.index, _ = strconv.Atoi(m[2])
		}
		out = append(out, pp)
	}
	return out, nil
}

// pathName is the name of a path segment without its index.
func pathName(s string) string {
	name, _, _ := strings.Cut(s, "[")
	return name
}

// setPath sets a dotted key in a decoded document. A segment that names an
// array of tables sets the key in every table of the array, or in one with
// an index ("policy[1].q"); missing tables are created.
func setPath(doc map[string]any, key string, v any) error {
	parts, err := parsePath(key)
	if err != nil {
		return err
	}
	cur := []map[string]any{doc}
	for i, part := range parts {
		last := i == len(parts)-1
		var next []map[string]any
		for _, m := range cur {
			if last {
				if part.index >= 0 {
					return fmt.Errorf("an index selects one [[table]]; it cannot end a key path")
				}
				if _, isTable := m[part.name].(map[string]any); isTable {
					return fmt.Errorf("%s is a table; sweep one of its keys", strings.Join(pathNames(parts[:i+1]), "."))
				}
				m[part.name] = v
				continue
			}
			switch t := m[part.name].(type) {
			case nil:
				if part.index >= 0 {
					return fmt.Errorf("no [[%s]] tables to index", strings.Join(pathNames(parts[:i+1]), "."))
				}
				sub := map[string]any{}
				m[part.name] = sub
				next = append(next, sub)
			case map[string]any:
				if part.index >= 0 {
					return fmt.Errorf("%s is a table, not an array of tables", strings.Join(pathNames(parts[:i+1]), "."))
				}
				next = append(next, t)
			case []map[string]any:
				if part.index >= len(t) {
					return fmt.Errorf("index %d: the file has %d [[%s]] table(s)", part.index, len(t), part.name)
				}
				if part.index >= 0 {
					next = append(next, t[part.index])
				} else {
					next = append(next, t...)
				}
			default:
				return fmt.Errorf("%s is a value, not a table", strings.Join(pathNames(parts[:i+1]), "."))
			}
		}
		cur = next
	}
	return nil
}

func pathNames(parts []pathPart) []string {
	out := make([]string, len(parts))
	for i, p := range parts {
		out[i] = p.name
	}
	return out
}

// deepCopy copies a decoded TOML document so a point's changes stay its own.
func deepCopy(v any) any {
	switch t := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, e := range t {
			out[k] = deepCopy(e)
		}
		return out
	case []map[string]any:
		out := make([]map[string]any, len(t))
		for i, e := range t {
			out[i] = deepCopy(e).(map[string]any)
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = deepCopy(e)
		}
		return out
	default:
		return v
	}
}
