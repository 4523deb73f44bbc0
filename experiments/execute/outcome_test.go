package execute

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sushisim/sushisim/experiments/config"
	"github.com/sushisim/sushisim/experiments/results"
)

// outcomeFile: 20 queries, one a second (the n-th at n s), nobody waits
// (ZCU104 services take 8-45 ms). Phases make the classes exact: queries
// 1-10 are "easy" (>= 75 %, 1 s: ref0 serves), 11-15 "unreachable"
// (>= 79.9 %: no reference SubNet is that accurate; the best is ref5, 79.8),
// 16-20 "tight" (>= 78 % within 1 ms: ref2, 78.3 %, takes ~21 ms).
const outcomeFile = `
name = "outcomes"
[model]
catalog = "reference"
[accel]
preset = "zcu104"
[workload]
queries = 20
[workload.arrival]
process = "constant"
rate = 1.0
[workload.needs]
[[workload.needs.class]]
name = "easy"
min_accuracy = 75.0
slo_ms = 1000.0
weight = 1.0
[[workload.needs.class]]
name = "unreachable"
min_accuracy = 79.9
slo_ms = 1000.0
weight = 0.0
[[workload.needs.class]]
name = "tight"
min_accuracy = 78.0
slo_ms = 1.0
weight = 0.0
[[workload.needs.phase]]
start_s = 10.5
weights = [0.0, 1.0, 0.0]
[[workload.needs.phase]]
start_s = 15.5
weights = [0.0, 0.0, 1.0]
[[policy]]
name = "drop"
select = "latency-first"
admission = "drop"
[[policy]]
name = "late"
select = "latency-first"
`

// Every needs-met column, counted by hand. With admission "drop" the 5
// unreachable and the 5 tight queries are dropped: half of the arrivals
// meet their needs, though every served query met both (the served-only
// SLO attainment is 1). Served late, the unreachable ones meet their SLO
// but not their accuracy (ref5, 79.8 < 79.9) and the tight ones their
// accuracy but not their SLO.
func TestNeedsMetColumnsCountEveryArrival(t *testing.T) {
	x, err := config.Parse(filepath.Join(t.TempDir(), "outcomes.toml"), []byte(outcomeFile))
	require.NoError(t, err)
	out := filepath.Join(t.TempDir(), "res")
	execute(t, x, Options{Out: out, Workers: 1})
	res, err := results.Read(out)
	require.NoError(t, err)
	require.Len(t, res.Rows, 2)
	drop, late := res.Rows[0].Summary, res.Rows[1].Summary

	assert.Equal(t, [3]int64{20, 10, 10}, [3]int64{drop.Queries, drop.Completed, drop.Dropped})
	assert.Equal(t, 10.0/20, drop.DropFraction)
	assert.Equal(t, 10.0/20, drop.SLOAttainment)
	assert.Equal(t, 10.0/20, drop.AccuracyNeedMet)
	assert.Equal(t, 10.0/20, drop.BothMet)
	assert.Equal(t, 1.0, drop.SLOAttainmentServed)
	assert.Equal(t, 75.0, drop.AccuracyMeanServed)

	assert.Equal(t, [3]int64{20, 20, 0}, [3]int64{late.Queries, late.Completed, late.Dropped})
	assert.Equal(t, 0.0, late.DropFraction)
	assert.Equal(t, 15.0/20, late.SLOAttainment)
	assert.Equal(t, 15.0/20, late.AccuracyNeedMet)
	assert.Equal(t, 10.0/20, late.BothMet)
	assert.Equal(t, 15.0/20, late.SLOAttainmentServed)
	assert.InDelta(t, (10*75+5*79.8+5*78.3)/20.0, late.AccuracyMeanServed, 1e-9)

	head, recs, err := results.ReadCSV(filepath.Join(out, results.ClassesCSV))
	require.NoError(t, err)
	assert.Equal(t, results.ClassColumns(), head)
	got := map[string][]string{}
	for _, r := range recs {
		got[r[2]+"/"+r[3]+"/"+r[4]] = r[5:11] // queries .. both_met
	}
	// queries, completed, dropped, slo_attainment, accuracy_need_met, both_met
	assert.Equal(t, []string{"10", "10", "0", "1", "1", "1"}, got["drop/class/easy"])
	assert.Equal(t, []string{"5", "0", "5", "0", "0", "0"}, got["drop/class/unreachable"])
	assert.Equal(t, []string{"5", "0", "5", "0", "0", "0"}, got["drop/class/tight"])
	assert.Equal(t, []string{"20", "10", "10", "0.5", "0.5", "0.5"}, got["drop/tenant/0"])
	assert.Equal(t, []string{"5", "5", "0", "1", "0", "0"}, got["late/class/unreachable"])
	assert.Equal(t, []string{"5", "5", "0", "0", "1", "0"}, got["late/class/tight"])
}
