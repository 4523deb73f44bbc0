package execute

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/sushisim/sushisim/experiments/config"
)

// slurmMaxArray is the largest array index Slurm accepts out of the box
// (MaxArraySize = 1001 in slurm.conf(5)); clusters may raise or lower it.
const slurmMaxArray = 1000

// SlurmJob is what the two sbatch scripts of one sweep are made from.
// File and Out are absolute, on a file system every node shares; Tasks is
// the array size (array task K runs shard K/N) and CPUs --cpus-per-task.
type SlurmJob struct {
	ShardJob
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
func (j *SlurmJob) check() error {
	errs := j.ShardJob.check()
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
func (j *SlurmJob) header(b *strings.Builder, name string, cpus int, output string) {
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

// SubmitLine is the shell command that submits the array (with more
// sbatch options, such as --array=K) and the merge job after it.
func (j *SlurmJob) SubmitLine(opts string) string {
	return fmt.Sprintf("jid=$(sbatch --parsable%s %s) && sbatch --dependency=afterok:${jid%%%%;*} %s",
		opts, shellQuote(j.Array), shellQuote(j.Merge))
}

// ArrayScript is the job array: task K of 1..N runs shard K/N. The task id
// is the shard number and N is written here rather than read from
// $SLURM_ARRAY_TASK_COUNT, so that a task submitted again alone
// (--array=K, where the count is 1) still runs shard K of N.
func (j *SlurmJob) ArrayScript() string {
	var b strings.Builder
	b.WriteString("#!/bin/bash\n")
	fmt.Fprintf(&b, "# Sweep %q as a Slurm job array, written by 'sushisim slurm'.\n", j.Experiment)
	fmt.Fprintf(&b, "# Array task K (1..%d) runs shard K/%d of the plan's %d tasks (points x\n", j.Tasks, j.Tasks, j.PlanTasks)
	fmt.Fprintf(&b, "# replications) into %s, saving each task when it is done.\n", j.Out)
	b.WriteString("#\n# Submit with the merge job, which runs once every array task succeeded:\n")
	fmt.Fprintf(&b, "#   %s\n", j.SubmitLine(""))
	b.WriteString("# Re-run shard K alone after a failure (the tasks it saved are kept), then merge\n")
	b.WriteString("# (scancel the first merge job: its dependency can no longer be satisfied):\n")
	fmt.Fprintf(&b, "#   %s\n", j.SubmitLine(" --array=K"))
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

// MergeScript is the job that combines the shards into the result files.
func (j *SlurmJob) MergeScript() string {
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

// sbatchID reads a job id from 'sbatch --parsable' ("id" or "id;cluster").
func sbatchID(out []byte) (string, error) {
	id, _, _ := strings.Cut(strings.TrimSpace(string(out)), ";")
	if id == "" || strings.Trim(id, "0123456789") != "" {
		return "", fmt.Errorf("sbatch printed %q, not a job id", strings.TrimSpace(string(out)))
	}
	return id, nil
}

// Submit runs sbatch on the array script, then on the merge script with an
// afterok dependency on the array; it returns both job ids.
func (j *SlurmJob) Submit(sbatch string) (array, merge string, err error) {
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

// SlurmOptions are the choices behind a Slurm job of a sweep (the flags
// of 'sushisim slurm').
type SlurmOptions struct {
	Tasks      int      // array tasks N (shards)
	CPUs       int      // --cpus-per-task, and the workers of each shard
	MaxRunning int      // array throttle; 0: none
	Partition  string   // "": the cluster's default
	Time       string   // sbatch --time; "": the partition's default
	Extra      []string // more sbatch options, one #SBATCH line each
	Out        string   // results directory; "": [output] dir, else results/<name>
	ScriptDir  string   // scripts and logs; "": OUT/slurm
	Binary     string   // the sushisim the jobs run; "": this executable
	Warn       io.Writer
}

// NewSlurmJob makes the Slurm job of experiment x, loaded from file: paths
// made absolute, every option checked (errors name the flag), the
// sushisim executable found, and a results directory of another plan
// refused before anything queues.
func NewSlurmJob(x *config.Experiment, file string, o SlurmOptions) (*SlurmJob, error) {
	j := &SlurmJob{MaxRunning: o.MaxRunning, Partition: o.Partition, Time: o.Time, Extra: o.Extra}
	j.Tasks, j.CPUs = o.Tasks, o.CPUs
	var err error
	if j.File, err = filepath.Abs(file); err != nil {
		return nil, err
	}
	out := o.Out
	if out == "" {
		out = x.OutDir()
	}
	if j.Out, err = filepath.Abs(out); err != nil {
		return nil, err
	}
	dir := o.ScriptDir
	if dir == "" {
		dir = filepath.Join(j.Out, "slurm")
	}
	if dir, err = filepath.Abs(dir); err != nil {
		return nil, err
	}
	j.Logs = filepath.Join(dir, "logs")
	j.Array, j.Merge = filepath.Join(dir, "array.sbatch"), filepath.Join(dir, "merge.sbatch")
	j.Experiment, j.Name = x.Name, "sushisim-"+jobName(x.Name, false, 64)
	j.PlanTasks = len(Tasks(x))
	if err := j.check(); err != nil {
		return nil, err
	}
	if j.Binary, err = sushisimBinary(o.Binary); err != nil {
		return nil, err
	}
	if err := checkOut(j.Out, x); err != nil {
		return nil, err
	}
	if o.Warn != nil {
		warnTasks(o.Warn, j.Tasks, j.PlanTasks, "array tasks")
		if j.Tasks > slurmMaxArray {
			fmt.Fprintf(o.Warn, "warning: --tasks %d: Slurm's default MaxArraySize allows array indexes up to %d\n", j.Tasks, slurmMaxArray)
		}
	}
	return j, nil
}

// Write writes both scripts, and the log directory Slurm opens its files
// in before a job runs.
func (j *SlurmJob) Write() error {
	if err := os.MkdirAll(j.Logs, 0o755); err != nil {
		return err
	}
	for _, f := range []struct{ path, text string }{{j.Array, j.ArrayScript()}, {j.Merge, j.MergeScript()}} {
		if err := os.WriteFile(f.path, []byte(f.text), 0o755); err != nil {
			return err
		}
	}
	return nil
}

// Summary says what the array does: "8 array tasks over the plan's 6 tasks
// (0 or 1 each)".
func (j *SlurmJob) Summary() string {
	return fmt.Sprintf("%d array tasks over the plan's %d tasks (%s)", j.Tasks, j.PlanTasks, perShard(j.PlanTasks, j.Tasks))
}
