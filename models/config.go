package models

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Config strings are fields separated by '-', each a key letter followed by
// its value, e.g. "r160-d0,0,0,1,0-e0.2,...-w0,0,0,0,0,1". Lists are
// comma-separated; "_" stands for a value that does not matter because the
// block it belongs to does not run. Parsing accepts the fields in any order
// and values in any spelling strconv accepts; the canonical form (what a
// SubNet's Config holds) lists the fields in a fixed order and writes the
// shortest spelling, so that two configs build the same SubNet exactly when
// their canonical strings are equal.

// skipped is the placeholder for the setting of a block that does not run.
const skipped = "_"

// configFields splits a config string into its fields. keys lists the
// allowed key letters in canonical order; the result holds one value per key.
func configFields(config, keys string) ([]string, error) {
	config = strings.TrimSpace(config)
	if config == "" {
		return nil, fmt.Errorf("empty config (want %s)", keyList(keys))
	}
	vals := make([]string, len(keys))
	seen := make([]bool, len(keys))
	for f := range strings.SplitSeq(config, "-") {
		f = strings.TrimSpace(f)
		if f == "" {
			return nil, fmt.Errorf("empty field (fields are separated by '-': %s)", keyList(keys))
		}
		i := strings.IndexByte(keys, f[0])
		if i < 0 {
			return nil, fmt.Errorf("unknown field %q (want %s)", f, keyList(keys))
		}
		if seen[i] {
			return nil, fmt.Errorf("field %c given twice", keys[i])
		}
		seen[i] = true
		vals[i] = f[1:]
	}
	for i, ok := range seen {
		if !ok {
			return nil, fmt.Errorf("missing field %c (want %s)", keys[i], keyList(keys))
		}
	}
	return vals, nil
}

func keyList(keys string) string {
	parts := make([]string, len(keys))
	for i := range keys {
		parts[i] = keys[i : i+1]
	}
	return "fields " + strings.Join(parts, ", ")
}

// configList splits a comma-separated list and checks its length.
func configList(key, s string, want int) ([]string, error) {
	if strings.TrimSpace(s) == "" {
		return nil, fmt.Errorf("%s: no values, want %d", key, want)
	}
	parts := strings.Split(s, ",")
	if len(parts) != want {
		return nil, fmt.Errorf("%s: %d values, want %d", key, len(parts), want)
	}
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	return parts, nil
}

// choiceIndex returns the index of v's value among allowed (compared as
// numbers), or an error naming the field key[i] and the allowed set.
func choiceIndex(key string, i int, v string, allowed []float64) (int, error) {
	x, err := strconv.ParseFloat(v, 64)
	if err == nil {
		for j, a := range allowed {
			if math.Abs(x-a) < 1e-9 {
				return j, nil
			}
		}
	}
	if v == "" {
		v = `""`
	}
	return 0, fmt.Errorf("%s[%d]: %s not in %s", key, i, v, setString(allowed))
}

func setString(allowed []float64) string {
	parts := make([]string, len(allowed))
	for i, a := range allowed {
		parts[i] = fmtNum(a)
	}
	return "{" + strings.Join(parts, ",") + "}"
}

// fmtNum is the shortest spelling of a choice value ("0.25", "3").
func fmtNum(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }

// parseResolution checks an input resolution against lo..hi in steps.
func parseResolution(v string, lo, hi, step int32) (int32, error) {
	r, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil || r < int(lo) || r > int(hi) || (r-int(lo))%int(step) != 0 {
		if v == "" {
			v = `""`
		}
		return 0, fmt.Errorf("resolution: %s not in %d..%d step %d", v, lo, hi, step)
	}
	return int32(r), nil
}

// makeDivisible rounds v to a multiple of divisor as OFA does
// (ofa/utils/pytorch_modules.py make_divisible, itself from the TF MobileNet
// code): to the nearest multiple, at least divisor, and never more than 10%
// below v.
func makeDivisible(v float64, divisor int32) int32 {
	d := float64(divisor)
	n := max(d, math.Floor((v+d/2)/d)*d)
	if n < 0.9*v {
		n += d
	}
	return int32(n)
}

// pyRound is Python 3's round(): half to even.
func pyRound(x float64) float64 { return math.RoundToEven(x) }

// seq returns lo, lo+step, ..., hi.
func seq(lo, hi, step int32) []int32 {
	var out []int32
	for v := lo; v <= hi; v += step {
		out = append(out, v)
	}
	return out
}

// ints converts small choice lists to the float form choiceIndex takes.
func ints(xs ...int) []float64 {
	out := make([]float64, len(xs))
	for i, x := range xs {
		out[i] = float64(x)
	}
	return out
}
