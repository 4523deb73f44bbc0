package execute

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sushisim/sushisim/experiments/config"
)

// golden compares got with testdata/NAME; SUSHISIM_UPDATE_GOLDEN=1 rewrites it.
func golden(t *testing.T, name, got string) {
	t.Helper()
	p := filepath.Join("testdata", name)
	if os.Getenv("SUSHISIM_UPDATE_GOLDEN") == "1" {
		require.NoError(t, os.WriteFile(p, []byte(got), 0o644))
	}
	want, err := os.ReadFile(p)
	require.NoError(t, err)
	assert.Equal(t, string(want), got, "output differs from %s (SUSHISIM_UPDATE_GOLDEN=1 rewrites it)", p)
}

// fakeCommand writes an executable that records its arguments, one per
// line, in the file it returns (and prints what stdout says).
func fakeCommand(t *testing.T, dir, name, stdout string) (bin, args string) {
	t.Helper()
	bin, args = filepath.Join(dir, name), filepath.Join(dir, name+".args")
	script := fmt.Sprintf("#!/bin/sh\nprintf '%%s\\n' \"$@\" >> %s\nprintf '%%s' %s\n", shellQuote(args), shellQuote(stdout))
	require.NoError(t, os.WriteFile(bin, []byte(script), 0o755))
	return bin, args
}

func testSlurmJob() SlurmJob {
	return SlurmJob{
		ShardJob: ShardJob{Experiment: "fig5", Name: "sushisim-fig5", File: "/home/ana/exp/fig5.toml", Out: "/scratch/ana/fig5",
			Tasks: 16, PlanTasks: 40, CPUs: 2},
		Binary: "/opt/sushisim/bin/sushisim",
		Logs:   "/scratch/ana/fig5/slurm/logs", Array: "/scratch/ana/fig5/slurm/array.sbatch", Merge: "/scratch/ana/fig5/slurm/merge.sbatch",
		MaxRunning: 8, Partition: "batch", Time: "0:30:00",
		Extra: []string{"--account=proj42"},
	}
}

func TestSlurmScriptsGolden(t *testing.T) {
	j := testSlurmJob()
	require.NoError(t, j.check())
	golden(t, "slurm-array.golden", j.ArrayScript())
	golden(t, "slurm-merge.golden", j.MergeScript())
}

// sbatch(1) reads #SBATCH options only before the first command of the
// script: every directive must come before it.
func TestSlurmDirectivesPrecedeCommands(t *testing.T) {
	j := testSlurmJob()
	for _, s := range []string{j.ArrayScript(), j.MergeScript()} {
		lines := strings.Split(s, "\n")
		require.True(t, strings.HasPrefix(lines[0], "#!"))
		first, directives := -1, 0
		for i, l := range lines[1:] {
			if strings.HasPrefix(l, "#SBATCH") {
				assert.Equal(t, -1, first, "#SBATCH after a command: %q", l)
				directives++
			} else if first < 0 && strings.TrimSpace(l) != "" && !strings.HasPrefix(l, "#") {
				first = i
			}
		}
		assert.GreaterOrEqual(t, directives, 6)
	}
}

// The array script, run as Slurm runs array task K, calls sushisim with
// shard K of N; paths that need quoting arrive intact.
func TestSlurmArrayScriptRunsShard(t *testing.T) {
	dir := t.TempDir()
	bin, argsFile := fakeCommand(t, dir, "sushi sim", "")
	j := testSlurmJob()
	j.Binary, j.File, j.Out, j.Tasks = bin, "/data/it's a sweep.toml", "/data/results $1", 3
	script := filepath.Join(dir, "array.sbatch")
	require.NoError(t, os.WriteFile(script, []byte(j.ArrayScript()), 0o755))
	for k := 1; k <= 3; k++ {
		_ = os.Remove(argsFile)
		c := exec.Command("bash", script)
		c.Env = append(os.Environ(), fmt.Sprintf("SLURM_ARRAY_TASK_ID=%d", k), "SLURM_CPUS_PER_TASK=3")
		out, err := c.CombinedOutput()
		require.NoError(t, err, string(out))
		got, err := os.ReadFile(argsFile)
		require.NoError(t, err)
		want := []string{"run", "/data/it's a sweep.toml", "--shard", fmt.Sprintf("%d/3", k), "--out", "/data/results $1", "--resume", "--workers", "3", ""}
		assert.Equal(t, want, strings.Split(string(got), "\n"))
	}

	// outside an array task the script stops before calling sushisim
	_ = os.Remove(argsFile)
	c := exec.Command("bash", script)
	c.Env = withoutEnv(os.Environ(), "SLURM_ARRAY_TASK_ID")
	out, err := c.CombinedOutput()
	require.Error(t, err)
	assert.Contains(t, string(out), "not a Slurm array task")
	assert.NoFileExists(t, argsFile)

	merge := filepath.Join(dir, "merge.sbatch")
	require.NoError(t, os.WriteFile(merge, []byte(j.MergeScript()), 0o755))
	out, err = exec.Command("bash", merge).CombinedOutput()
	require.NoError(t, err, string(out))
	got, err := os.ReadFile(argsFile)
	require.NoError(t, err)
	assert.Equal(t, "merge\n/data/results $1\n", string(got))
}

func withoutEnv(env []string, name string) []string {
	var out []string
	for _, e := range env {
		if !strings.HasPrefix(e, name+"=") {
			out = append(out, e)
		}
	}
	return out
}

// The documented submit line, run by a shell against a fake sbatch, makes
// the merge depend on the array job id sbatch printed.
func TestSlurmSubmitLine(t *testing.T) {
	dir := t.TempDir()
	_, argsFile := fakeCommand(t, dir, "sbatch", "77;cluster2")
	j := testSlurmJob()
	c := exec.Command("sh", "-c", j.SubmitLine(" --array=5"))
	c.Env = append(os.Environ(), "PATH="+dir+":"+os.Getenv("PATH"))
	out, err := c.CombinedOutput()
	require.NoError(t, err, string(out))
	got, err := os.ReadFile(argsFile)
	require.NoError(t, err)
	assert.Equal(t, []string{"--parsable", "--array=5", j.Array, "--dependency=afterok:77", j.Merge, ""}, strings.Split(string(got), "\n"))
}

func TestSlurmSubmit(t *testing.T) {
	dir := t.TempDir()
	bin, argsFile := fakeCommand(t, dir, "sbatch", "4242;c1\n")
	j := testSlurmJob()
	array, merge, err := j.Submit(bin)
	require.NoError(t, err)
	assert.Equal(t, "4242", array)
	assert.Equal(t, "4242", merge) // the fake prints the same id twice
	got, err := os.ReadFile(argsFile)
	require.NoError(t, err)
	assert.Equal(t, []string{"--parsable", j.Array, "--parsable", "--dependency=afterok:4242", j.Merge, ""}, strings.Split(string(got), "\n"))

	bad, _ := fakeCommand(t, dir, "sbatch-bad", "Submitted batch job 12\n")
	_, _, err = j.Submit(bad)
	require.ErrorContains(t, err, "not a job id")
}

func TestSbatchID(t *testing.T) {
	for in, want := range map[string]string{"12345\n": "12345", "12;cluster": "12", " 7 ": "7"} {
		got, err := sbatchID([]byte(in))
		require.NoError(t, err, in)
		assert.Equal(t, want, got)
	}
	for _, in := range []string{"", "\n", "Submitted batch job 3", "12a;x", ";c"} {
		_, err := sbatchID([]byte(in))
		assert.Error(t, err, in)
	}
}

func TestSlurmCheck(t *testing.T) {
	ok := testSlurmJob()
	for _, tm := range []string{"30", "10:00", "1:30:00", "2-12", "2-12:30", "2-12:30:00", "UNLIMITED"} {
		j := ok
		j.Time = tm
		assert.NoError(t, j.check(), tm)
	}
	cases := []struct {
		edit func(*SlurmJob)
		want string
	}{
		{func(j *SlurmJob) { j.Tasks = 0 }, "--tasks 0"},
		{func(j *SlurmJob) { j.CPUs = 0 }, "--cpus 0"},
		{func(j *SlurmJob) { j.MaxRunning = -1 }, "--max-running -1"},
		{func(j *SlurmJob) { j.Partition = "batch gpu" }, `--partition "batch gpu"`},
		{func(j *SlurmJob) { j.Time = "1h" }, `--time "1h"`},
		{func(j *SlurmJob) { j.Time = "1:2:3:4" }, `--time "1:2:3:4"`},
		{func(j *SlurmJob) { j.Extra = []string{"account=x"} }, `--sbatch-arg "account=x"`},
		{func(j *SlurmJob) { j.Extra = []string{"--qos=a\n#SBATCH --x"} }, "--sbatch-arg"},
		{func(j *SlurmJob) { j.Logs = "/scratch/my runs/logs" }, "--script-dir"},
		{func(j *SlurmJob) { j.Logs = "/scratch/100%/logs" }, "--script-dir"},
		{func(j *SlurmJob) { j.Out = "/scratch/a\nb" }, "--out"},
	}
	for _, c := range cases {
		j := ok
		c.edit(&j)
		assert.ErrorContains(t, j.check(), c.want)
	}
}

// A shell reads every quoted string back as it was.
func TestShellQuote(t *testing.T) {
	for _, s := range []string{"plain/path-1.toml", "", "a b", "it's", `"$HOME" ` + "`x`", "new\nline", "*?[]", "%x_%a"} {
		out, err := exec.Command("sh", "-c", "printf %s "+shellQuote(s)).Output()
		require.NoError(t, err, s)
		assert.Equal(t, s, string(out))
	}
	assert.Equal(t, "plain/path-1.toml", shellQuote("plain/path-1.toml"), "no quotes where none are needed")
}

func TestJobName(t *testing.T) {
	assert.Equal(t, "Fig-5-routers.v2", jobName("Fig 5: routers.v2!", false, 64))
	assert.Equal(t, "a_b", jobName("a_b", false, 64))
	assert.Equal(t, "fig-5-routers-v2", jobName("Fig 5: routers.v2!", true, 64))
	assert.Equal(t, "sweep", jobName("?!", true, 64))
	assert.Equal(t, "ab", jobName("ab-cd", true, 3), "no dash at the end after truncation")
	assert.Len(t, jobName(strings.Repeat("x", 100), true, 43), 43)
}

// Shard i of n owns the tasks k with k mod n = i-1: count them.
func TestPerShard(t *testing.T) {
	for _, c := range [][2]int{{40, 16}, {8, 4}, {6, 4}, {3, 5}, {1, 1}} {
		plan, n := c[0], c[1]
		lo, hi := plan, 0
		for i := 1; i <= n; i++ {
			s := Shard{I: i, N: n}
			cnt := 0
			for k := range plan {
				if s.Owns(k) {
					cnt++
				}
			}
			lo, hi = min(lo, cnt), max(hi, cnt)
		}
		want := fmt.Sprintf("%d each", lo)
		if lo != hi {
			want = fmt.Sprintf("%d or %d each", lo, hi)
		}
		assert.Equal(t, want, perShard(plan, n), "plan %d, n %d", plan, n)
	}
}

func TestWarnTasks(t *testing.T) {
	var b bytes.Buffer
	warnTasks(&b, 8, 8, "pods")
	assert.Empty(t, b.String())
	warnTasks(&b, 10, 6, "pods")
	assert.Equal(t, "warning: --tasks 10 is more than the plan's 6 tasks: 4 pods will have nothing to run\n", b.String())
}

func TestSushisimBinary(t *testing.T) {
	dir := t.TempDir()
	exe, _ := fakeCommand(t, dir, "sushisim", "")
	got, err := sushisimBinary(exe)
	require.NoError(t, err)
	assert.Equal(t, exe, got)
	plain := filepath.Join(dir, "notes.txt")
	require.NoError(t, os.WriteFile(plain, nil, 0o644))
	_, err = sushisimBinary(plain)
	assert.ErrorContains(t, err, "--sushisim")
	_, err = sushisimBinary(filepath.Join(dir, "missing"))
	assert.ErrorContains(t, err, "--sushisim")
	// 'go test' runs a binary from a go-build directory, as 'go run' does
	if self, _ := os.Executable(); strings.Contains(self, "go-build") {
		_, err = sushisimBinary("")
		assert.ErrorContains(t, err, "--sushisim")
	}
}

// A results directory of another plan is refused before anything queues.
func TestCheckOut(t *testing.T) {
	x, err := config.Load("testdata/distributed-tiny.toml")
	require.NoError(t, err)
	out := t.TempDir()
	require.NoError(t, checkOut(filepath.Join(out, "new"), x), "a missing directory is fine")
	_, err = Execute(x, Options{Out: out, Workers: 1, Shard: Shard{I: 1, N: 6}})
	require.NoError(t, err)
	require.NoError(t, checkOut(out, x))

	src, err := os.ReadFile("testdata/distributed-tiny.toml")
	require.NoError(t, err)
	y, err := config.Parse("testdata/other.toml", bytes.Replace(src, []byte("seed = 5"), []byte("seed = 6"), 1))
	require.NoError(t, err)
	assert.ErrorContains(t, checkOut(out, y), "holds results of another version")
	notes := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(notes, "notes.txt"), nil, 0o644))
	assert.ErrorContains(t, checkOut(notes, x), "holds no sushisim results", "what every shard would refuse")
}

// NewSlurmJob and Write put both scripts where the summary says, for the
// plan's task count.
func TestNewSlurmJobWritesScripts(t *testing.T) {
	dir := t.TempDir()
	exe, _ := fakeCommand(t, dir, "sushisim", "")
	out := filepath.Join(dir, "results")
	x, err := config.Load("testdata/distributed-tiny.toml")
	require.NoError(t, err)
	var warn bytes.Buffer
	j, err := NewSlurmJob(x, "testdata/distributed-tiny.toml", SlurmOptions{Tasks: 8, CPUs: 1, Out: out, Binary: exe, Time: "10", Warn: &warn})
	require.NoError(t, err)
	require.NoError(t, j.Write())
	assert.Equal(t, "8 array tasks over the plan's 6 tasks (0 or 1 each)", j.Summary())
	assert.Equal(t, out+"/slurm/array.sbatch", j.Array)
	assert.Contains(t, warn.String(), "2 array tasks will have nothing to run")
	arr, err := os.ReadFile(filepath.Join(out, "slurm", "array.sbatch"))
	require.NoError(t, err)
	abs, _ := filepath.Abs("testdata/distributed-tiny.toml")
	assert.Contains(t, string(arr), "#SBATCH --array=1-8\n#SBATCH --job-name=sushisim-Tiny_sweep.3-rates\n")
	assert.Contains(t, string(arr), "exec "+exe+" run "+abs+" --shard \"${SLURM_ARRAY_TASK_ID:?not a Slurm array task}/8\" --out "+out+" ")
	assert.DirExists(t, filepath.Join(out, "slurm", "logs"))
	assert.FileExists(t, filepath.Join(out, "slurm", "merge.sbatch"))

	_, err = NewSlurmJob(x, "testdata/distributed-tiny.toml", SlurmOptions{Tasks: 0, CPUs: 1, Partition: "a b", Binary: exe})
	assert.ErrorContains(t, err, "--tasks 0")
	assert.ErrorContains(t, err, `--partition "a b"`)
}
