package config

import (
	"bufio"
	"bytes"
	"fmt"
	"regexp"
	"strings"
)

// keyLines maps dotted key paths to the line that sets them, so validation
// errors (which BurntSushi/toml does not position) can name the line. Arrays
// of tables are indexed the way errors name them: policy[1].q is the q of
// the second [[policy]]. It reads the common TOML layout (one key per line,
// table headers on their own line); a key it cannot place gets no line.
func keyLines(src []byte) map[string]int {
	lines := map[string]int{}
	counts := map[string]int{}
	prefix := ""
	sc := bufio.NewScanner(bytes.NewReader(src))
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	for n := 1; sc.Scan(); n++ {
		s := strings.TrimSpace(sc.Text())
		switch {
		case s == "" || strings.HasPrefix(s, "#"):
			continue
		case strings.HasPrefix(s, "[["):
			name := strings.TrimSpace(strings.Trim(cutComment(s), "[] "))
			base := name
			if j := strings.LastIndex(name, "."); j >= 0 {
				base = indexPath(name[:j], counts) + "." + strings.Trim(strings.TrimSpace(name[j+1:]), `"'`)
			}
			i := counts[base]
			counts[base]++
			prefix = fmt.Sprintf("%s[%d]", base, i)
			lines[prefix] = n
		case strings.HasPrefix(s, "["):
			name := strings.TrimSpace(strings.Trim(cutComment(s), "[] "))
			prefix = indexPath(name, counts)
			lines[prefix] = n
		default:
			k, _, ok := strings.Cut(s, "=")
			if !ok {
				continue
			}
			k = unquoteKey(k)
			full := k
			if prefix != "" {
				full = prefix + "." + k
			}
			if _, seen := lines[full]; !seen {
				lines[full] = n
			}
		}
	}
	return lines
}

// indexPath rewrites a dotted table name so that every part that is an array
// of tables seen so far carries the index of its latest element:
// "policy.sgs" inside the second [[policy]] becomes "policy[1].sgs".
func indexPath(name string, counts map[string]int) string {
	parts := strings.Split(name, ".")
	out := ""
	for _, p := range parts {
		p = strings.Trim(strings.TrimSpace(p), `"'`)
		if out != "" {
			out += "."
		}
		out += p
		if c, ok := counts[out]; ok && c > 0 {
			out = fmt.Sprintf("%s[%d]", out, c-1)
		}
	}
	return out
}

func cutComment(s string) string {
	if i := strings.Index(s, "#"); i >= 0 {
		return s[:i]
	}
	return s
}

// lineOf finds the line of a key path, falling back to its nearest parent.
func lineOf(lines map[string]int, key string) int {
	for key != "" {
		if n, ok := lines[key]; ok {
			return n
		}
		i := strings.LastIndexAny(key, ".[")
		if i < 0 {
			break
		}
		key = key[:i]
	}
	return 0
}

var indexRE = regexp.MustCompile(`\[\d+\]`)

// findIndexed places a key that names an array of tables without an index
// (as toml's Undecoded reports it, "policy.q") at its first occurrence,
// returning the indexed key ("policy[1].q") and its line.
func findIndexed(lines map[string]int, key string) (string, int) {
	bestKey, best := "", 0
	for k, n := range lines {
		if indexRE.ReplaceAllString(k, "") == key && (best == 0 || n < best) {
			bestKey, best = k, n
		}
	}
	return bestKey, best
}

// unquoteKey drops the quotes of a (possibly dotted) key, so that
// "workload.x" and workload.x name the same path, as sweeps read them.
func unquoteKey(k string) string {
	parts := strings.Split(strings.NewReplacer(`"`, "", `'`, "").Replace(k), ".")
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	return strings.Join(parts, ".")
}
