package config

import (
	"errors"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"
)

// problem is one positioned error.
type problem struct {
	line int // 0: unknown
	key  string
	msg  string
}

// problems collects positioned errors for one file.
type problems struct {
	path  string
	lines map[string]int
	list  []problem
	// reencoded: the document being decoded is a sweep point re-encoded
	// from the file, so TOML's own line numbers mean nothing; lines come
	// from the key paths instead.
	reencoded bool
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
	if k, _, ok := strings.Cut(msg, ": "); ok && !strings.ContainsAny(k, " /:") {
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
	p.list = append(p.list, problem{line: n, key: full, msg: msg})
}

func (p problem) format(path string) string {
	var b strings.Builder
	b.WriteString(path)
	if p.line > 0 {
		b.WriteString(":" + strconv.Itoa(p.line))
	}
	if p.key != "" {
		b.WriteString(": " + p.key)
	}
	b.WriteString(": " + p.msg)
	return b.String()
}

func (p *problems) err() error {
	errs := make([]error, len(p.list))
	for i, q := range p.list {
		errs[i] = errors.New(q.format(p.path))
	}
	return errors.Join(errs...)
}

var tomlTypeErr = regexp.MustCompile(`^toml: (?:line (\d+) )?\(last key "([^"]*)"\): (.*)$`)

// typeError positions BurntSushi's decode errors ("toml: line 3 (last key
// "a.b"): incompatible types...") like every other problem. Keys inside
// arrays of tables come without their index; the line finds it.
func (p *problems) typeError(err error) {
	m := tomlTypeErr.FindStringSubmatch(err.Error())
	if m == nil {
		p.list = append(p.list, problem{msg: strings.TrimPrefix(err.Error(), "toml: ")})
		return
	}
	line, key, msg := m[1], m[2], m[3]
	if line != "" && !p.reencoded {
		n, _ := strconv.Atoi(line)
		for k, l := range p.lines { // prefer the indexed spelling of the key
			if l == n && indexRE.ReplaceAllString(k, "") == key {
				key = k
				break
			}
		}
		p.list = append(p.list, problem{line: n, key: key, msg: msg})
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
