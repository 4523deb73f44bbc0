package execute

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sushisim/sushisim/experiments/config"
	"github.com/sushisim/sushisim/experiments/results"
)

var quietLog = slog.New(slog.NewTextHandler(io.Discard, nil))

// everyFile reads every file under dir (the lock aside), plan.json and
// timing included: what must not change when a later run is refused.
func everyFile(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	require.NoError(t, filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasPrefix(d.Name(), lockName) {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		out[rel], err = os.ReadFile(path)
		return err
	}))
	return out
}

// loadEdited loads a copy of file, with old replaced by new, from dir.
func loadEdited(t *testing.T, file, dir, name, old, new string) *config.Experiment {
	t.Helper()
	src, err := os.ReadFile(file)
	require.NoError(t, err)
	require.Contains(t, string(src), old)
	x, err := config.Parse(filepath.Join(dir, name), []byte(strings.Replace(string(src), old, new, 1)))
	require.NoError(t, err)
	return x
}

// The scenario that used to lose results: experiment a runs into D, then
// experiment b (a bad trace, found partway) into the same D, then a
// changed version of a. a's results stay intact, readable and resumable;
// --force moves them aside, byte for byte, instead of deleting them.
func TestResultsDirectoryIsOwned(t *testing.T) {
	a, err := config.Load("../testdata/sweep.toml")
	require.NoError(t, err)
	out := filepath.Join(t.TempDir(), "D")
	execute(t, a, Options{Out: out, Workers: 2, Log: quietLog})
	before := everyFile(t, out)
	require.Contains(t, before, results.PlanJSON)
	require.Contains(t, before, results.SummaryCSV)

	// b: a trace whose row 3 has no number; its data file sits beside it
	tdir := t.TempDir()
	bad := "../../testdata/bad/trace/trace_time_not_number"
	data, err := os.ReadFile(bad + ".data.csv")
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(tdir, "trace_time_not_number.data.csv"), data, 0o644))
	b := loadEdited(t, bad+".toml", tdir, "b.toml", `name = "bad"`, `name = "b"`)
	for _, force := range []bool{false, true} {
		_, err = Execute(b, Options{Out: out, Force: force, Log: quietLog})
		require.Error(t, err)
		assert.Contains(t, err.Error(), "trace_time_not_number.data.csv:3:")
		assert.Equal(t, before, everyFile(t, out), "a failed run touched the results (force %v)", force)
	}

	a2 := loadEdited(t, "../testdata/sweep.toml", t.TempDir(), "sweep.toml", "seed = 7", "seed = 8")
	_, err = Execute(a2, Options{Out: out, Log: quietLog})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `holds results of another version of "sweep-test"`)
	assert.Contains(t, err.Error(), "--force")
	_, err = Execute(a2, Options{Out: out, Resume: true, Log: quietLog})
	require.Error(t, err)
	assert.Equal(t, before, everyFile(t, out))

	_, err = results.Read(out)
	require.NoError(t, err, "a's results stay readable")
	rep := execute(t, a, Options{Out: out, Resume: true, Log: quietLog})
	assert.Equal(t, 6, rep.Skipped, "a's tasks are all still there")
	assert.Zero(t, rep.Ran)

	execute(t, a2, Options{Out: out, Force: true, Log: quietLog})
	assert.Equal(t, before, everyFile(t, out+".old-1"), "--force moves the old results aside, whole")
	p, err := results.ReadPlan(out)
	require.NoError(t, err)
	assert.Equal(t, a2.Hash, p.Hash)
	execute(t, a, Options{Out: out, Force: true, Log: quietLog})
	assert.DirExists(t, out+".old-2", "a second --force takes the next free name")

	// "." (the working directory) moves to a sibling, not into itself
	now := everyFile(t, out)
	t.Chdir(out)
	execute(t, a2, Options{Out: ".", Force: true, Log: quietLog})
	assert.True(t, reflect.DeepEqual(now, everyFile(t, out+".old-3")), "the working directory's results moved to its sibling")
}

func TestOutThatIsNotResultsIsRefused(t *testing.T) {
	a, err := config.Load("../testdata/sweep.toml")
	require.NoError(t, err)
	out := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(out, "thesis.tex"), []byte("years of work"), 0o644))
	_, err = Execute(a, Options{Out: out, Log: quietLog})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "is not empty and holds no sushisim results")
	assert.Equal(t, map[string][]byte{"thesis.tex": []byte("years of work")}, everyFile(t, out))
	// 'sushisim slurm' writes its scripts before the shards start
	slurm := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(slurm, "slurm", "logs"), 0o755))
	execute(t, a, Options{Out: slurm, Shard: Shard{1, 2}, Log: quietLog})
	// a shard of the same array is writing plan.json: its temporary file
	// is there, plan.json not yet
	array := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(array, "."+results.PlanJSON+".tmp123"), []byte("{"), 0o600))
	execute(t, a, Options{Out: array, Shard: Shard{2, 2}, Log: quietLog})
}

// deadPID is the PID of a process that has exited.
func deadPID(t *testing.T) int {
	cmd := exec.Command("true")
	require.NoError(t, cmd.Run())
	return cmd.Process.Pid
}

func TestLock(t *testing.T) {
	a, err := config.Load("../testdata/sweep.toml")
	require.NoError(t, err)
	host, _ := os.Hostname()
	out := t.TempDir()
	path := filepath.Join(out, lockName)

	// a live process on this host (this one) holds it
	require.NoError(t, os.WriteFile(path, []byte(fmt.Sprintf("%d %s 2026-12-03T07:00:00Z\n", os.Getpid(), host)), 0o644))
	_, err = Execute(a, Options{Out: out, Log: quietLog})
	require.Error(t, err)
	assert.Contains(t, err.Error(), fmt.Sprintf("held by PID %d on host %q since 2026-12-03T07:00:00Z", os.Getpid(), host))
	assert.Contains(t, err.Error(), "--break-lock")
	assert.NoFileExists(t, filepath.Join(out, results.PlanJSON), "nothing written while locked")

	// another host: its processes cannot be checked from here
	require.NoError(t, os.WriteFile(path, []byte("1 elsewhere 2026-12-03T07:00:00Z\n"), 0o644))
	_, err = Execute(a, Options{Out: out, Log: quietLog})
	require.Error(t, err)
	execute(t, a, Options{Out: out, BreakLock: true, Log: quietLog})
	assert.NoFileExists(t, path, "released at the end")

	// a dead process on this host: stale, broken with a warning
	require.NoError(t, os.WriteFile(path, []byte(fmt.Sprintf("%d %s 2026-12-03T07:00:00Z\n", deadPID(t), host)), 0o644))
	var log strings.Builder
	execute(t, a, Options{Out: out, Resume: true, Log: slog.New(slog.NewTextHandler(&log, nil))})
	assert.Contains(t, log.String(), "breaking a stale lock")
	assert.NoFileExists(t, path)

	// shards of one plan lock separately and run side by side
	l1, err := acquireLock(out, Shard{1, 2}, false, quietLog)
	require.NoError(t, err)
	l2, err := acquireLock(out, Shard{2, 2}, false, quietLog)
	require.NoError(t, err)
	_, err = acquireLock(out, Shard{2, 2}, false, quietLog)
	require.Error(t, err, "the same shard twice")
	l1.release()
	l2.release()
	assert.NoFileExists(t, lockFile(out, Shard{1, 2}))
}

// merge --out is owned like a run's directory.
func TestMergeRefusesAnotherPlansDirectory(t *testing.T) {
	a, err := config.Load("../testdata/sweep.toml")
	require.NoError(t, err)
	src := filepath.Join(t.TempDir(), "src")
	execute(t, a, Options{Out: src, Log: quietLog})
	other := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(other, "notes.txt"), []byte("keep"), 0o644))
	_, err = Merge([]string{src}, other)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "holds no sushisim results")
	assert.Equal(t, map[string][]byte{"notes.txt": []byte("keep")}, everyFile(t, other))
	_, err = Merge([]string{src}, src)
	require.NoError(t, err, "merging a directory into itself")
	fresh := filepath.Join(t.TempDir(), "fresh")
	_, err = Merge([]string{src}, fresh)
	require.NoError(t, err)
	assert.NoFileExists(t, filepath.Join(fresh, lockName))
}
