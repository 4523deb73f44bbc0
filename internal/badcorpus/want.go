package badcorpus

import (
	"bufio"
	"fmt"
	"os"
	"strings"
)

// Want reads a .want file: every line that is neither blank nor a comment
// is a substring the error must contain. A file without one is an error.
func Want(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if l := strings.TrimSpace(sc.Text()); l != "" && !strings.HasPrefix(l, "#") {
			out = append(out, l)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s lists no expected error text", path)
	}
	return out, nil
}
