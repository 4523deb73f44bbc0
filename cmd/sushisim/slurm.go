package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/spf13/cobra"

	"github.com/sushisim/sushisim/experiments"
)

// slurmMaxArray is the largest array index Slurm accepts out of the box
// (MaxArraySize = 1001 in slurm.conf(5)); clusters may raise or lower it.
const slurmMaxArray = 1000

// slurmJob is what the two sbatch scripts of one sweep are made from.
// File and Out are absolute, on a file system every node shares; Tasks is
// the array size (array task K runs shard K/N) and CPUs --cpus-per-task.
type slurmJob struct {
	shardJob
	Binary     string   // absolute path of the sushisim executable on the nodes
	Logs       string   // absolute directory of the job logs
	Array      string   // path of the array script (named in its own comments)
	Merge      string   // path of the merge script
	MaxRunning int      // array throttle (%M); 0: none
	Partition  string   // --partition; "": the cluster's default
	Time       string   // --time; "": the partition's default
	Extra      []string // more sbatch options, one #SBATCH line each
}

var (
	slurmPartition = regexp.MustCompile(`^[A-Za-z0-9_.-]+(,[A-Za-z0-9_.-]+)*$`)
	// sbatch(1) --time: minutes, minutes:seconds, hours:minutes:seconds,
	// days-hours, days-hours:minutes, days-hours:minutes:seconds.
	slurmTime = regexp.MustCompile(`^([0-9]+|[0-9]+:[0-9]+|[0-9]+:[0-9]+:[0-9]+|[0-9]+-[0-9]+(:[0-9]+){0,2}|UNLIMITED|INFINITE)$`)
	// a path an #SBATCH line carries unquoted; '%' would be read as a
	// filename pattern in --output.
	slurmPath = regexp.MustCompile(`^/[A-Za-z0-9_./+,:=@~-]*$`)
)

// check validates the fields that come from flags; errors name the flag.
func (j *slurmJob) check() error {
	errs := j.shardJob.check()
	if j.MaxRunning < 0 {
		errs = append(errs, fmt.Errorf("--max-running %d: want 0 (no limit) or more", j.MaxRunning))
	}
	if j.Partition != "" && !slurmPartition.MatchString(j.Partition) {
		errs = append(errs, fmt.Errorf("--partition %q: want partition names (letters, digits, _ . -), comma separated", j.Partition))
	}
	if j.Time != "" && !slurmTime.MatchString(j.Time) {
		errs = append(errs, fmt.Errorf("--time %q: want minutes, M:S, H:M:S, D-H, D-H:M, D-H:M:S or UNLIMITED", j.Time))
	}
	for _, e := range j.Extra {
		if !strings.HasPrefix(e, "-") || strings.ContainsFunc(e, func(r rune) bool { return r < ' ' || r == 0x7f }) {
			errs = append(errs, fmt.Errorf("--sbatch-arg %q: want one sbatch option on one line, e.g. --account=proj", e))
		}
	}
	if strings.ContainsFunc(j.Out, func(r rune) bool { return r < ' ' || r == 0x7f }) {
		errs = append(errs, fmt.Errorf("--out %q: control characters are not allowed in the path", j.Out))
	} else if !slurmPath.MatchString(j.Logs) {
		errs = append(errs, fmt.Errorf("--script-dir (default DIR/slurm): %q: an #SBATCH line cannot carry this path (allowed: letters, digits and _ . / + , : = @ ~ -)", filepath.Dir(j.Logs)))
	}
	return errors.Join(errs...)
}

// header writes the #SBATCH lines both scripts share.
func (j *slurmJob) header(b *strings.Builder, name string, cpus int, output string) {
	fmt.Fprintf(b, "#SBATCH --job-name=%s\n", name)
	fmt.Fprintf(b, "#SBATCH --cpus-per-task=%d\n", cpus)
	fmt.Fprintf(b, "#SBATCH --output=%s\n", filepath.Join(j.Logs, output))
	if j.Partition != "" {
		fmt.Fprintf(b, "#SBATCH --partition=%s\n", j.Partition)
	}
	if j.Time != "" {
		fmt.Fprintf(b, "#SBATCH --time=%s\n", j.Time)
	}
	for _, e := range j.Extra {
		fmt.Fprintf(b, "#SBATCH %s\n", e)
	}
}

// submitLine is the shell command that submits the array (with more
// sbatch options, such as --array=K) and the merge job after it.
func (j *slurmJob) submitLine(opts string) string {
	return fmt.Sprintf("jid=$(sbatch --parsable%s %s) && sbatch --dependency=afterok:${jid%%%%;*} %s",
		opts, shellQuote(j.Array), shellQuote(j.Merge))
}

// arrayScript is the job array: task K of 1..N runs shard K/N. The task id
// is the shard number and N is written here rather than read from
// $SLURM_ARRAY_TASK_COUNT, so that a task submitted again alone
// (--array=K, where the count is 1) still runs shard K of N.
func (j *slurmJob) arrayScript() string {
	var b strings.Builder
	b.WriteString("#!/bin/bash\n")
	fmt.Fprintf(&b, "# Sweep %q as a Slurm job array, written by 'sushisim slurm'.\n", j.Experiment)
	fmt.Fprintf(&b, "# Array task K (1..%d) runs shard K/%d of the plan's %d tasks (points x\n", j.Tasks, j.Tasks, j.PlanTasks)
	fmt.Fprintf(&b, "# replications) into %s, saving each task when it is done.\n", j.Out)
	b.WriteString("#\n# Submit with the merge job, which runs once every array task succeeded:\n")
	fmt.Fprintf(&b, "#   %s\n", j.submitLine(""))
	b.WriteString("# Re-run shard K alone after a failure (the tasks it saved are kept), then merge\n")
	b.WriteString("# (scancel the first merge job: its dependency can no longer be satisfied):\n")
	fmt.Fprintf(&b, "#   %s\n", j.submitLine(" --array=K"))
	array := fmt.Sprintf("1-%d", j.Tasks)
	if j.MaxRunning > 0 {
		array += fmt.Sprintf("%%%d", j.MaxRunning)
	}
	fmt.Fprintf(&b, "#SBATCH --array=%s\n", array)
	j.header(&b, j.Name, j.CPUs, "%x-%A_%a.out")
	b.WriteString("set -euo pipefail\n")
	b.WriteString(j.runLine(j.Binary, "${SLURM_ARRAY_TASK_ID:?not a Slurm array task}", fmt.Sprintf("\"${SLURM_CPUS_PER_TASK:-%d}\"", j.CPUs)) + "\n")
	return b.String()
}

// mergeScript is the job that combines the shards into the result files.
func (j *slurmJob) mergeScript() string {
	var b strings.Builder
	b.WriteString("#!/bin/bash\n")
	fmt.Fprintf(&b, "# Merge of sweep %q, written by 'sushisim slurm'. Run after the array\n", j.Experiment)
	fmt.Fprintf(&b, "# job (afterok), it writes into %s the same result files as one\n", j.Out)
	b.WriteString("# 'sushisim run' of the whole plan; while a shard is missing it refuses\n# and names it.\n")
	j.header(&b, j.Name+"-merge", 1, "%x-%j.out") // merging is one process
	b.WriteString("set -euo pipefail\n")
	fmt.Fprintf(&b, "exec %s merge %s\n", shellQuote(j.Binary), shellQuote(j.Out))
	return b.String()
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

// checkOut refuses a results directory that already holds another plan's
// results: every shard would refuse it too, after waiting in the queue.
func checkOut(out string, x *experiments.Experiment) error {
	if _, err := os.Stat(filepath.Join(out, experiments.PlanJSON)); errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	old, err := experiments.LoadFromResults(out)
	if err != nil {
		return fmt.Errorf("--out %s: %w", out, err)
	}
	if old.Hash != x.Hash {
		return fmt.Errorf("--out %s holds results of another plan (%s, now %s): give another --out or remove it", out, old.Hash, x.Hash)
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

// sbatchID reads a job id from 'sbatch --parsable' ("id" or "id;cluster").
func sbatchID(out []byte) (string, error) {
	id, _, _ := strings.Cut(strings.TrimSpace(string(out)), ";")
	if id == "" || strings.Trim(id, "0123456789") != "" {
		return "", fmt.Errorf("sbatch printed %q, not a job id", strings.TrimSpace(string(out)))
	}
	return id, nil
}

// submit runs sbatch on the array script, then on the merge script with an
// afterok dependency on the array; it returns both job ids.
func (j *slurmJob) submit(sbatch string) (array, merge string, err error) {
	run := func(args ...string) (string, error) {
		c := exec.Command(sbatch, args...)
		var stderr strings.Builder
		c.Stderr = &stderr
		out, err := c.Output()
		if err != nil {
			return "", fmt.Errorf("sbatch %s: %w: %s", strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
		}
		return sbatchID(out)
	}
	if array, err = run("--parsable", j.Array); err != nil {
		return "", "", err
	}
	if merge, err = run("--parsable", "--dependency=afterok:"+array, j.Merge); err != nil {
		return array, "", err
	}
	return array, merge, nil
}

func init() {
	var (
		flags                  slurmJob
		out, scriptDir, binary string
		doSubmit               bool
	)
	cmd := &cobra.Command{
		Use:   "slurm FILE",
		Short: "Write (and submit) Slurm sbatch scripts that run a sweep as a job array",
		Long: `Write two sbatch scripts for an experiment file: a job array of --tasks N
tasks, array task K running 'sushisim run FILE --shard K/N --resume' into the
results directory, and a merge job ('sushisim merge DIR'). --submit submits
both, the merge with --dependency=afterok on the array, and prints the job ids.

The results directory (--out, else [output] dir, else results/<name>) and the
sushisim binary must be on a file system every node sees. Scripts and job
logs go to --script-dir (default DIR/slurm).

Slurm needs about a second to dispatch each task: choose N so that each array
task runs for tens of seconds (the plan's tasks are points x replications,
spread evenly over the N shards). A failed or killed array task K runs again
alone with 'sbatch --array=K DIR/slurm/array.sbatch' (the script's comments
show the line that also submits a new merge job); it keeps what the first
attempt saved. 'sushisim merge DIR' (or the merge script) refuses while a shard
is missing, and names it.`,
		Example: `  sushisim slurm sweep.toml --tasks 16 --partition batch --time 30 --out /shared/results/sweep
  sushisim slurm sweep.toml --tasks 16 --out /shared/results/sweep --submit`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			x, err := experiments.Load(args[0])
			if err != nil {
				return err
			}
			j := flags
			if j.File, err = filepath.Abs(args[0]); err != nil {
				return err
			}
			o := out
			if o == "" {
				o = x.OutDir()
			}
			if j.Out, err = filepath.Abs(o); err != nil {
				return err
			}
			dir := scriptDir
			if dir == "" {
				dir = filepath.Join(j.Out, "slurm")
			}
			if dir, err = filepath.Abs(dir); err != nil {
				return err
			}
			j.Logs = filepath.Join(dir, "logs")
			j.Array, j.Merge = filepath.Join(dir, "array.sbatch"), filepath.Join(dir, "merge.sbatch")
			j.Experiment, j.Name = x.Name, "sushisim-"+jobName(x.Name, false, 64)
			j.PlanTasks = len(x.Tasks())
			if err := j.check(); err != nil {
				return err
			}
			if j.Binary, err = sushisimBinary(binary); err != nil {
				return err
			}
			if err := checkOut(j.Out, x); err != nil {
				return err
			}
			warnTasks(cmd.ErrOrStderr(), j.Tasks, j.PlanTasks, "array tasks")
			if j.Tasks > slurmMaxArray {
				fmt.Fprintf(cmd.ErrOrStderr(), "warning: --tasks %d: Slurm's default MaxArraySize allows array indexes up to %d\n", j.Tasks, slurmMaxArray)
			}
			// Slurm opens the log files before the job runs: the directory must exist.
			if err := os.MkdirAll(j.Logs, 0o755); err != nil {
				return err
			}
			for _, f := range []struct{ path, text string }{{j.Array, j.arrayScript()}, {j.Merge, j.mergeScript()}} {
				if err := os.WriteFile(f.path, []byte(f.text), 0o755); err != nil {
					return err
				}
			}
			w := cmd.OutOrStdout()
			fmt.Fprintf(w, "wrote %s: %d array tasks over the plan's %d tasks (%s)\n", j.Array, j.Tasks, j.PlanTasks, perShard(j.PlanTasks, j.Tasks))
			fmt.Fprintf(w, "wrote %s\n", j.Merge)
			if !doSubmit {
				fmt.Fprintf(w, "submit both with: %s\n", j.submitLine(""))
				return nil
			}
			path, err := exec.LookPath("sbatch")
			if err != nil {
				return fmt.Errorf("--submit: %w (is this a Slurm login node?)", err)
			}
			array, merge, err := j.submit(path)
			if array != "" {
				fmt.Fprintf(w, "array job %s\n", array)
			}
			if err != nil {
				return err
			}
			fmt.Fprintf(w, "merge job %s\n", merge)
			fmt.Fprintf(w, "logs: %s\nresults: %s\n", j.Logs, j.Out)
			return nil
		},
	}
	f := cmd.Flags()
	f.IntVarP(&flags.Tasks, "tasks", "n", 0, "array tasks N (shards); each should run for tens of seconds")
	f.StringVarP(&out, "out", "o", "", "shared results directory (default: [output] dir, else results/<experiment name>)")
	f.StringVar(&scriptDir, "script-dir", "", "where the scripts and job logs go (default: DIR/slurm)")
	f.StringVarP(&flags.Partition, "partition", "p", "", "Slurm partition (default: the cluster's)")
	f.StringVarP(&flags.Time, "time", "t", "", "time limit of each job, sbatch --time format (default: the partition's)")
	f.IntVarP(&flags.CPUs, "cpus", "c", 1, "CPUs per array task, and the workers each shard runs on")
	f.IntVar(&flags.MaxRunning, "max-running", 0, "at most this many array tasks at once (0: no limit)")
	f.StringArrayVar(&flags.Extra, "sbatch-arg", nil, "more sbatch options for both jobs, e.g. --sbatch-arg=--account=proj (repeatable)")
	f.StringVar(&binary, "sushisim", "", "sushisim executable the jobs run (default: this one)")
	f.BoolVar(&doSubmit, "submit", false, "submit the array and the merge job with sbatch and print their job ids")
	_ = cmd.MarkFlagRequired("tasks")
	root.AddCommand(cmd)
}
