package workloads

import (
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// azureRow is one function of a day file, parsed independently of azure.go.
type azureRow struct {
	name, fn, trigger string
	counts            []int
}

func readAzure(t *testing.T, path string) []azureRow {
	t.Helper()
	raw, err := os.ReadFile(path)
	require.NoError(t, err)
	var rows []azureRow
	for _, line := range strings.Split(strings.TrimSpace(string(raw)), "\n")[1:] {
		f := strings.Split(line, ",")
		r := azureRow{name: f[0] + "/" + f[1] + "/" + f[2], fn: f[2], trigger: f[3]}
		for _, c := range f[4:] {
			n, err := strconv.Atoi(c)
			require.NoError(t, err)
			r.counts = append(r.counts, n)
		}
		rows = append(rows, r)
	}
	return rows
}

func sum(xs []int) int {
	s := 0
	for _, x := range xs {
		s += x
	}
	return s
}

func azureConfig(ac AzureConfig) Config {
	if ac.Path == "" {
		ac.Path = "azure_sample.csv"
	}
	return Config{Arrival: ArrivalConfig{Process: ProcessAzure, Azure: ac}, Needs: oneClass}
}

// replayCounts runs a stream to its end and returns, per tenant name, the
// number of arrivals in each minute; it also checks the order of arrivals.
func replayCounts(t *testing.T, c Config, minutes int) (map[string][]int, *Stream) {
	t.Helper()
	s := mustNew(t, c, 5, 6)
	got := map[string][]int{}
	var q Query
	prev := int64(-1)
	for s.Next(&q) {
		if q.Arrival < prev {
			require.GreaterOrEqual(t, q.Arrival, prev, "arrivals out of order")
		}
		prev = q.Arrival
		name := s.Tenants()[q.Tenant]
		if got[name] == nil {
			got[name] = make([]int, minutes)
		}
		got[name][q.Arrival/minuteNs]++
	}
	return got, s
}

// Replay reproduces the file's per-minute count of every function exactly,
// for both ways of spreading a minute's invocations.
func TestAzureReproducesPerMinuteCounts(t *testing.T) {
	rows := readAzure(t, "testdata/azure_sample.csv")
	for _, spread := range []string{SpreadUniform, SpreadPoisson} {
		got, s := replayCounts(t, azureConfig(AzureConfig{Spread: spread}), azureMinutes)
		nonzero := 0
		for _, r := range rows {
			if sum(r.counts) == 0 {
				assert.NotContains(t, s.Tenants(), r.name, "idle functions get no tenant")
				continue
			}
			nonzero++
			assert.Equal(t, r.counts, got[r.name], "%s %s", spread, r.trigger)
		}
		assert.Len(t, s.Tenants(), nonzero)
	}
}

func TestAzureTopKByVolume(t *testing.T) {
	rows := readAzure(t, "testdata/azure_sample.csv")
	slices.SortStableFunc(rows, func(a, b azureRow) int { return sum(b.counts) - sum(a.counts) })
	_, s := replayCounts(t, azureConfig(AzureConfig{TopK: 3}), azureMinutes)
	assert.Equal(t, []string{rows[0].name, rows[1].name, rows[2].name}, s.Tenants(), "tenant 0 is the busiest")
}

func TestAzureSelectByHashAndTrigger(t *testing.T) {
	rows := readAzure(t, "testdata/azure_sample.csv")
	// rows 3 and 6 share a HashFunction in different apps; both are kept,
	// in file order, after the function listed first.
	_, s := replayCounts(t, azureConfig(AzureConfig{Functions: []string{rows[1].fn, rows[3].fn}}), azureMinutes)
	assert.Equal(t, []string{rows[1].name, rows[3].name, rows[6].name}, s.Tenants())

	got, s := replayCounts(t, azureConfig(AzureConfig{Triggers: []string{"http"}}), azureMinutes)
	assert.Equal(t, []string{rows[0].name, rows[3].name}, s.Tenants(), "http functions with invocations, by volume")
	assert.Equal(t, rows[3].counts, got[rows[3].name])
}

func TestAzureWindowAndScale(t *testing.T) {
	rows := readAzure(t, "testdata/azure_sample.csv")
	got, _ := replayCounts(t, azureConfig(AzureConfig{StartMinute: 600, Minutes: 60}), 60)
	for _, r := range rows {
		if sum(r.counts[600:660]) > 0 {
			assert.Equal(t, r.counts[600:660], got[r.name], "minutes 601..660 become 0..59")
		}
	}
	got, _ = replayCounts(t, azureConfig(AzureConfig{RateScale: 2}), azureMinutes)
	for _, r := range rows {
		if sum(r.counts) > 0 {
			want := make([]int, len(r.counts))
			for i, c := range r.counts {
				want[i] = 2 * c
			}
			assert.Equal(t, want, got[r.name], "rate_scale 2 doubles every minute")
		}
	}
	got, _ = replayCounts(t, azureConfig(AzureConfig{RateScale: 0.3}), azureMinutes)
	for _, r := range rows {
		// Error diffusion: every prefix of the scaled counts stays within one
		// invocation of 0.3 x the file's.
		fileSum, gotSum := 0, 0
		for m := range r.counts {
			fileSum += r.counts[m]
			if got[r.name] != nil {
				gotSum += got[r.name][m]
			}
			require.InDelta(t, 0.3*float64(fileSum), float64(gotSum), 1, "%s minute %d", r.trigger, m)
		}
	}
}

// Uniform spread puts a minute's c invocations at (i+½)/c of the minute;
// Poisson spread places them uniformly at random (mean ½, variance 1/12).
func TestAzureSpreadWithinMinute(t *testing.T) {
	rows := readAzure(t, "testdata/azure_sample.csv")
	timer := rows[1] // one call every 5 minutes
	s := mustNew(t, azureConfig(AzureConfig{Functions: []string{timer.fn}}), 1, 1)
	var q Query
	m := 0
	for s.Next(&q) {
		assert.Equal(t, int64(m)*5*minuteNs+minuteNs/2, q.Arrival)
		m++
	}
	assert.Equal(t, 288, m)

	queue := rows[2] // bursts of ~170 a minute
	s = mustNew(t, azureConfig(AzureConfig{Functions: []string{queue.fn}, Spread: SpreadPoisson}), 1, 1)
	var n, s1, s2 float64
	for s.Next(&q) {
		u := float64(q.Arrival%minuteNs) / float64(minuteNs)
		n, s1, s2 = n+1, s1+u, s2+u*u
	}
	mean := s1 / n
	assert.Equal(t, float64(sum(queue.counts)), n)
	assert.InDelta(t, 0.5, mean, 4*math.Sqrt(1.0/12/n))
	assert.InDelta(t, 1.0/12, s2/n-mean*mean, 0.004)
}

func TestAzureErrors(t *testing.T) {
	header := "HashOwner,HashApp,HashFunction,Trigger,1,2,3\n"
	cases := []struct {
		name, body string
		edit       func(*AzureConfig)
		want       string
	}{
		{"empty", "", nil, "a.csv:1:1: empty file"},
		{"header only", header, nil, "a.csv:2: the file has a header but no function rows"},
		{"bad header", "HashOwner,HashApp,Function,Trigger,1\n", nil, `a.csv:1:19: header column 3 is "Function", want "HashFunction"`},
		{"bad minute header", "HashOwner,HashApp,HashFunction,Trigger,1,3\n", nil, `a.csv:1:42: header column 6 is "3", want the minute number "2"`},
		{"negative count", header + "o,a,f,http,1,-2,3\n", nil, `a.csv:2:14: minute 2 count "-2": want a non-negative integer`},
		{"non-numeric", header + "o,a,f,http,1,2,x\n", nil, `a.csv:2:16: minute 3 count "x"`},
		{"fraction", header + "o,a,f,http,1.5,2,3\n", nil, `a.csv:2:12: minute 1 count "1.5"`},
		{"short row", header + "o,a,f,http,1,2\n", nil, "a.csv:2:15: the row has 6 fields, the header has 7"},
		{"unknown hash", header + "o,a,f,http,1,2,3\n", func(c *AzureConfig) { c.Functions = []string{"g"} },
			`arrival.azure.functions[0]: no row of `},
		{"window past file", header + "o,a,f,http,1,2,3\n", func(c *AzureConfig) { c.StartMinute = 3 },
			"arrival.azure.start_minute: 3 is past the file's 3 minutes"},
		{"no invocations", header + "o,a,f,http,0,0,3\n", func(c *AzureConfig) { c.Minutes = 2 },
			"no function has invocations in minutes [0,2)"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := writeFile(t, "a.csv", tc.body)
			c := azureConfig(AzureConfig{Path: "a.csv"})
			if tc.edit != nil {
				tc.edit(&c.Arrival.Azure)
			}
			_, err := New(c, rng(1), rng(2), dir)
			require.Error(t, err)
			want := tc.want
			if strings.HasPrefix(want, "a.csv") {
				want = filepath.Join(dir, want)
			}
			assert.Contains(t, err.Error(), want)
		})
	}
}
