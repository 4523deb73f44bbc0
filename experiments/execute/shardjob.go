package execute

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/sushisim/sushisim/experiments/config"
)

// ShardJob is what the Slurm and Kubernetes jobs of one sweep share: N
// shards of the plan, each running 'sushisim run --shard K/N' on CPUs
// workers.
type ShardJob struct {
	Experiment string // experiment name, for comments
	Name       string // job name: sushisim-<experiment>
	File       string // experiment file, as the jobs see it
	Out        string // results directory, as the jobs see it
	Tasks      int    // shards N
	PlanTasks  int    // tasks of the plan (points x replications)
	CPUs       int    // CPUs of each shard, and its workers
}

// check validates the shared fields that come from flags; errors name the flag.
func (s *ShardJob) check() []error {
	var errs []error
	if s.Tasks < 1 {
		errs = append(errs, fmt.Errorf("--tasks %d: want at least 1", s.Tasks))
	}
	if s.CPUs < 1 {
		errs = append(errs, fmt.Errorf("--cpus %d: want at least 1", s.CPUs))
	}
	return errs
}

// runLine is the shell command a shard runs with binary; shard and workers
// are shell words (a number, or an expansion that gives one).
func (s *ShardJob) runLine(binary, shard, workers string) string {
	return fmt.Sprintf("exec %s run %s --shard \"%s/%d\" --out %s --resume --workers %s",
		shellQuote(binary), shellQuote(s.File), shard, s.Tasks, shellQuote(s.Out), workers)
}

// shellQuote quotes s for a POSIX shell when it needs quoting.
func shellQuote(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("_./+,:=@%-", r))
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// jobName makes an experiment name safe as a job or object name: letters,
// digits and dashes (lower case when lower is set), at most max runes.
func jobName(name string, lower bool, max int) string {
	if lower {
		name = strings.ToLower(name)
	}
	var b strings.Builder
	dash := false
	for _, r := range name {
		ok := r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || !lower && (r >= 'A' && r <= 'Z' || r == '_' || r == '.')
		switch {
		case ok:
			b.WriteRune(r)
			dash = false
		case !dash && b.Len() > 0:
			b.WriteByte('-')
			dash = true
		}
	}
	s := strings.Trim(b.String(), "-")
	if len(s) > max {
		s = strings.TrimRight(s[:max], "-")
	}
	if s == "" {
		s = "sweep"
	}
	return s
}

// sushisimBinary is the executable the generated jobs call: --sushisim, or
// the running one unless it is a temporary 'go run' build that will be gone
// before the jobs start.
func sushisimBinary(flag string) (string, error) {
	if flag != "" {
		p, err := filepath.Abs(flag)
		if err != nil {
			return "", fmt.Errorf("--sushisim: %w", err)
		}
		if st, err := os.Stat(p); err != nil || st.IsDir() || st.Mode()&0o111 == 0 {
			return "", fmt.Errorf("--sushisim %s: not an executable file", flag)
		}
		return p, nil
	}
	p, err := os.Executable()
	if err == nil {
		p, err = filepath.EvalSymlinks(p)
	}
	if err != nil {
		return "", fmt.Errorf("cannot find this executable (%w): give --sushisim PATH", err)
	}
	if strings.Contains(p, string(filepath.Separator)+"go-build") {
		return "", fmt.Errorf("this sushisim is a temporary 'go run' build (%s): build one with 'go build -o bin/sushisim ./cmd/sushisim' and give --sushisim bin/sushisim", p)
	}
	return p, nil
}

// checkOut refuses a results directory that a shard would refuse (another
// plan's results, or anything that is not results): every shard would
// refuse it too, after waiting in the queue.
func checkOut(out string, x *config.Experiment) error {
	why, err := notOurs(x, out)
	if err != nil {
		return fmt.Errorf("--out %s: %w", out, err)
	}
	if why != "" {
		return fmt.Errorf("--out %s %s: give another --out, or move it aside", out, why)
	}
	return nil
}

// warnTasks says when there are more shards than the plan has tasks: the
// extra ones (array tasks, pods: unit) have nothing to run.
func warnTasks(w io.Writer, n, plan int, unit string) {
	if n > plan {
		fmt.Fprintf(w, "warning: --tasks %d is more than the plan's %d tasks: %d %s will have nothing to run\n", n, plan, n-plan, unit)
	}
}

// perShard describes how many plan tasks each shard runs: task k belongs
// to shard k mod n + 1, so shards get floor or ceil of plan/n.
func perShard(plan, n int) string {
	lo, hi := plan/n, (plan+n-1)/n
	if lo == hi {
		return fmt.Sprintf("%d each", lo)
	}
	return fmt.Sprintf("%d or %d each", lo, hi)
}
