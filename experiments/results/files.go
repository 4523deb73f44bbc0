package results

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
)

// Version changes when result files change meaning, so results of an
// older sushisim are never resumed or merged with newer ones.
const Version = "sushisim-results-2"

// Plan is plan.json: what a results directory holds results of.
type Plan struct {
	Version      string   `json:"version"`
	Experiment   string   `json:"experiment"`
	Hash         string   `json:"hash"`
	Source       string   `json:"source"` // the experiment file, as given
	SourceDir    string   `json:"source_dir"`
	Keys         []string `json:"keys"`
	Points       int      `json:"points"`
	Replications int      `json:"replications"`
	Policies     int      `json:"policies"`
	Tasks        int      `json:"tasks"`
}

// WritePlan writes dir/plan.json.
func WritePlan(dir string, p Plan) error {
	b, err := json.MarshalIndent(p, "", "  ")
	if err != nil {
		return err
	}
	return WriteFile(filepath.Join(dir, PlanJSON), append(b, '\n'))
}

// ReadPlan reads dir/plan.json.
func ReadPlan(dir string) (Plan, error) {
	var p Plan
	b, err := os.ReadFile(filepath.Join(dir, PlanJSON))
	if err != nil {
		return p, err
	}
	if err := json.Unmarshal(b, &p); err != nil {
		return p, fmt.Errorf("%s: %w", filepath.Join(dir, PlanJSON), err)
	}
	return p, nil
}

// Task is one replication of one point: every [[policy]] on one query
// stream. It is the unit of result files, of --resume and of shards.
type Task struct {
	Index       int // in plan order: point-major, then replication, then cell
	Point       int
	Replication int
	Seed        uint64
	// Cell is the datacenter cell the task simulates, of Cells (Cells <= 1:
	// the whole cluster, no cell).
	Cell, Cells int
}

// Name is the task's file stem, "p0003-r01", or "p0003-r01-c0042" for
// cell 42 of a datacenter.
func (t Task) Name() string {
	if t.Cells > 1 {
		return fmt.Sprintf("p%04d-r%02d-c%04d", t.Point, t.Replication, t.Cell)
	}
	return fmt.Sprintf("p%04d-r%02d", t.Point, t.Replication)
}

// TraceName is the file name of one run's per-query trace. The policy name
// is already safe in a file name: config.CheckName is its one rule.
func TraceName(t Task, policy string) string {
	return t.Name() + "-" + policy + ".csv.gz"
}

// TaskFile is points/<task>.json: a task's results, a pure function of the
// experiment file (wall time lives in <task>.timing.json).
type TaskFile struct {
	Version     string         `json:"version"`
	Plan        string         `json:"plan"`
	Point       int            `json:"point"`
	Replication int            `json:"replication"`
	Seed        uint64         `json:"seed"`
	Cell        int            `json:"cell,omitempty"`
	Catalog     []CatalogEntry `json:"catalog,omitempty"` // replication 0 only
	Runs        []RunRecord    `json:"runs"`
}

// RunRecord is one policy's run in a TaskFile.
type RunRecord struct {
	Summary   Summary   `json:"summary"`
	Quantiles []float64 `json:"latency_ms_quantiles"`
	Served    []int64   `json:"served_by_subnet"`
	Windows   []Window  `json:"windows,omitempty"`
	Classes   []Outcome `json:"classes,omitempty"` // per need class, then per tenant
	// Cell is a datacenter cell's measurements in full (counters and
	// latency sketches), what merging the cells needs.
	Cell json.RawMessage `json:"cell,omitempty"`
}

// TimingFile is points/<task>.timing.json: wall time, not a result.
type TimingFile struct {
	Runs []TimingRow `json:"runs"`
}

// TimingRow is one run's wall time (a row of timing.csv).
type TimingRow struct {
	Point       int     `json:"point"`
	Replication int     `json:"replication"`
	Policy      string  `json:"policy"`
	WallS       float64 `json:"wall_s"`
	Events      uint64  `json:"events"`
}

// TaskPath and TimingPath are where a task's files go in a results directory.
func TaskPath(dir string, t Task) string { return filepath.Join(dir, PointsDir, t.Name()+".json") }
func TimingPath(dir string, t Task) string {
	return filepath.Join(dir, PointsDir, t.Name()+".timing.json")
}

// WriteTask writes a task's timing, then its results: the results file's
// presence marks the task done.
func WriteTask(dir string, t Task, tf *TaskFile, tm *TimingFile) error {
	tb, err := json.Marshal(tm)
	if err != nil {
		return err
	}
	if err := WriteFile(TimingPath(dir, t), append(tb, '\n')); err != nil {
		return err
	}
	b, err := json.MarshalIndent(tf, "", " ")
	if err != nil {
		return err
	}
	return WriteFile(TaskPath(dir, t), append(b, '\n'))
}

// ReadTask reads a task's results and checks they belong to plan hash and
// hold one run per policy.
func ReadTask(dir, hash string, t Task, policies int) (*TaskFile, error) {
	path := TaskPath(dir, t)
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var tf TaskFile
	if err := json.Unmarshal(b, &tf); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	switch {
	case tf.Version != Version || tf.Plan != hash:
		return nil, fmt.Errorf("%s: results of another plan (%s), not %s", path, tf.Plan, hash)
	case tf.Point != t.Point || tf.Replication != t.Replication || tf.Seed != t.Seed || tf.Cell != t.Cell || len(tf.Runs) != policies:
		return nil, fmt.Errorf("%s: does not hold point %d replication %d with %d policies", path, t.Point, t.Replication, policies)
	}
	return &tf, nil
}

// ReadTiming reads a task's timing file; a missing or bad one gives none
// (timing is not a result).
func ReadTiming(dir string, t Task) []TimingRow {
	var tm TimingFile
	if b, err := os.ReadFile(TimingPath(dir, t)); err == nil && json.Unmarshal(b, &tm) == nil {
		return tm.Runs
	}
	return nil
}
