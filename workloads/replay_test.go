package workloads

import (
	"math"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The built-in traces reproduce the statistics the dataset's description
// gives (requests, span, rate, CV² of gaps; per-minute and per-second
// peak/mean within 3%: that description bins minutes slightly differently),
// and the numbers docs/workloads.md and traces/README.md quote, to the
// digits quoted.
func TestBuiltinStats(t *testing.T) {
	for _, c := range []struct {
		name                 string
		n                    int
		spanMin, rate, cv2   float64
		peakMin, peakSec, mt float64    // the dataset's description (mt: 0 = not given)
		docs                 [4]float64 // quoted: span s, peak/mean per minute, per second, empty seconds %
		docsTol              [4]float64
	}{
		{BuiltinAzureConv, 19366, 58.4, 5.53, 1.20, 1.52, 2.9, 0,
			[4]float64{3501.7, 1.54, 2.89, 1.1}, [4]float64{0.05, 0.005, 0.005, 0.05}},
		{BuiltinAzureCode, 8819, 57.3, 2.57, 173, 4.18, 26, 0.73,
			[4]float64{3435.9, 4.16, 26.1, 73.4}, [4]float64{0.05, 0.005, 0.05, 0.05}},
	} {
		s, err := BuiltinStats(c.name)
		require.NoError(t, err)
		assert.Equal(t, c.n, s.Requests, c.name)
		assert.InDelta(t, c.spanMin, s.SpanS/60, 0.05, c.name)
		assert.InDelta(t, c.rate, s.MeanRate, 0.005, c.name)
		assert.InEpsilon(t, c.cv2, s.CV2, 0.005, c.name)
		assert.InEpsilon(t, c.peakMin, s.PeakMeanMinute, 0.03, c.name)
		assert.InEpsilon(t, c.peakSec, s.PeakMeanSecond, 0.03, c.name)
		if c.mt > 0 {
			assert.InDelta(t, c.mt, s.EmptySeconds, 0.005, c.name)
		}
		got := [4]float64{s.SpanS, s.PeakMeanMinute, s.PeakMeanSecond, 100 * s.EmptySeconds}
		for k, g := range got {
			assert.InDelta(t, c.docs[k], g, c.docsTol[k], "%s: quoted statistic %d", c.name, k)
		}
	}
}

// parseAzureTime agrees with the time package (an independent calendar) to
// the ns, over dates across leap years and centuries and every digit count.
func TestParseAzureTime(t *testing.T) {
	r := rng(3)
	for i := 0; i < 20000; i++ {
		want := time.Date(1600+r.IntN(900), time.Month(1+r.IntN(12)), 1+r.IntN(31), r.IntN(24), r.IntN(60), r.IntN(60), r.IntN(1e9), time.UTC)
		digits := r.IntN(10)
		want = want.Truncate(time.Duration(math.Pow10(9 - digits)))
		s := want.Format("2006-01-02 15:04:05")
		if digits > 0 {
			s += want.Format(".000000000")[:1+digits]
		}
		got, err := parseAzureTime([]byte(s))
		if err != nil || got != want.UnixNano() {
			require.FailNow(t, "mismatch", "%s: got %d (%v), want %d", s, got, err, want.UnixNano())
		}
	}
	ns, err := parseAzureTime([]byte("2023-11-16 18:15:46.6805900"))
	require.NoError(t, err)
	assert.Equal(t, time.Date(2023, 11, 16, 18, 15, 46, 680590000, time.UTC).UnixNano(), ns)
	for _, bad := range []string{"", "2023-11-16", "2023-11-16 18:15", "2023-02-29 00:00:00", "2023-13-01 00:00:00",
		"2023-11-16 24:00:00", "2023-11-16 18:15:46.", "2023-11-16 18:15:46.1234567890", "2023/11/16 18:15:46",
		"2023-11-16 18:15:4x", "2023-11-16 18:15:46.12a", "2023-11-16 18:15:46 +01:00"} {
		_, err := parseAzureTime([]byte(bad))
		assert.Error(t, err, "%q", bad)
	}
}

// roundScaled is the reference: round(f * t), halves up, in exact rational
// arithmetic on f's binary value.
func roundScaled(f float64, t int64) int64 {
	x := new(big.Rat).Mul(new(big.Rat).SetFloat64(f), new(big.Rat).SetInt64(t))
	x.Add(x, big.NewRat(1, 2))
	q := new(big.Int).Quo(x.Num(), x.Denom()) // x > 0: truncation is floor
	return q.Int64()
}

func replayConfig(builtin string) Config {
	return Config{Arrival: ArrivalConfig{Process: ProcessReplay, Replay: ReplayConfig{Builtin: builtin}}, Needs: oneClass}
}

// A scaled, looped, offset replay puts arrival k (lap L, row i) at exactly
// round(f * (L*period + at[i] - offset)) ns, checked against big.Rat over
// three laps, for factors whose products are and are not exact.
func TestReplayScaledExact(t *testing.T) {
	tr, err := loadBuiltin(BuiltinAzureCode)
	require.NoError(t, err)
	n := len(tr.at)
	period := tr.span() + int64(math.Round(float64(tr.span())/float64(n-1)))
	assert.Equal(t, period, tr.period(), "seam gap = the mean gap span/(n-1), rounded")
	for _, f := range []float64{1, 2, 0.5, 0.37, 1.0 / 3, 123.456, 1e-5} {
		for _, off := range []float64{0, 1234.5678912} {
			c := replayConfig(BuiltinAzureCode)
			c.Arrival.Replay.TimeScale, c.Arrival.Replay.OffsetS, c.Arrival.Replay.Loop = f, off, true
			c.Queries = int64(3 * n)
			s := mustNew(t, c, 1, 2)
			offNs := secondsToNs(off)
			i0 := 0
			for tr.at[i0] < offNs {
				i0++
			}
			var q Query
			for k := 0; k < 3*n; k++ {
				require.True(t, s.Next(&q))
				lap, i := int64((i0+k)/n), (i0+k)%n
				want := roundScaled(f, lap*period+tr.at[i]-offNs)
				if q.Arrival != want {
					require.FailNow(t, "arrival", "f=%v offset=%v k=%d: got %d, want %d", f, off, k, q.Arrival, want)
				}
			}
		}
	}
}

// With a factor that keeps the 100 ns ticks integral, every gap of the
// replay is the trace's gap times the factor exactly; the seam gap is the
// mean gap times the factor, rounded.
func TestReplayGapsTimesFactor(t *testing.T) {
	tr, err := loadBuiltin(BuiltinAzureConv)
	require.NoError(t, err)
	n := len(tr.at)
	for _, f := range []float64{2, 0.5, 0.25, 0.01} {
		c := replayConfig(BuiltinAzureConv)
		c.Arrival.Replay.TimeScale, c.Arrival.Replay.Loop, c.Queries = f, true, int64(n+2)
		s := mustNew(t, c, 1, 2)
		var q Query
		require.True(t, s.Next(&q))
		prev := q.Arrival
		require.Zero(t, prev)
		for k := 1; k < n+2; k++ {
			require.True(t, s.Next(&q))
			var gap int64
			switch {
			case k < n:
				gap = tr.at[k] - tr.at[k-1]
			case k == n:
				gap = tr.meanGap()
			default:
				gap = tr.at[1] - tr.at[0]
			}
			if k == n { // the mean gap need not be a multiple of 100 ns: check the rounding there
				require.Equal(t, roundScaled(f, tr.period())-prev, q.Arrival-prev)
			} else if q.Arrival-prev != int64(float64(gap)*f) || float64(gap)*f != math.Trunc(float64(gap)*f) {
				require.FailNow(t, "gap", "f=%v k=%d: got %d, want %v", f, k, q.Arrival-prev, float64(gap)*f)
			}
			prev = q.Arrival
		}
	}
}

// arrival.rate sets the factor so the looped replay's mean rate is the
// target: after L whole laps, L*n arrivals span L*period/(trace rate/rate).
func TestReplayRate(t *testing.T) {
	for _, b := range Builtins() {
		tr, err := loadBuiltin(b)
		require.NoError(t, err)
		n := len(tr.at)
		c := replayConfig(b)
		c.Arrival.Rate, c.Arrival.Replay.Loop = 400, true
		c.Queries = int64(4*n + 1) // the first arrival of lap 5 is at 4 periods
		s := mustNew(t, c, 1, 2)
		var q Query
		for s.Next(&q) {
		}
		assert.InEpsilon(t, float64(4*n)/400, float64(q.Arrival)/1e9, 1e-9, b)
		r, ok := c.Arrival.MeanRate()
		assert.True(t, ok)
		assert.Equal(t, 400.0, r)
		c.Arrival.Rate, c.Arrival.Replay.TimeScale = 0, 2
		r, ok = c.Arrival.MeanRate()
		assert.True(t, ok)
		assert.InEpsilon(t, float64(n)*1e9/float64(tr.period())/2, r, 1e-12, b)
	}
}

// Without loop the replay ends after the last row, having replayed each
// row once from the offset on.
func TestReplayEndsAndOffset(t *testing.T) {
	tr, err := loadBuiltin(BuiltinAzureConv)
	require.NoError(t, err)
	c := replayConfig(BuiltinAzureConv)
	c.Arrival.Replay.OffsetS = 600
	s := mustNew(t, c, 1, 2)
	var q Query
	got, last := 0, int64(-1)
	for s.Next(&q) {
		got++
		last = q.Arrival
	}
	want := 0
	for _, a := range tr.at {
		if a >= 600e9 {
			want++
		}
	}
	assert.Equal(t, want, got)
	assert.Equal(t, tr.span()-600e9, last)
	c.Arrival.Replay.OffsetS = 4000
	_, err = New(c, rng(1), rng(2), "")
	assert.ErrorContains(t, err, "arrival.replay.offset_s: 4000 s is past the trace's span (3501.721937 s)")
	assert.EqualError(t, Check(c, ""), err.Error(), "validate sees what only the data can tell")
	c.Arrival.Replay.OffsetS = 0
	assert.NoError(t, Check(c, ""))
}

// class_by splits the trace into the classes' weight shares by token rank:
// counts match the weights to one row, and every class's tokens lie above
// the previous class's.
func TestReplayClassBy(t *testing.T) {
	tr, err := loadBuiltin(BuiltinAzureConv)
	require.NoError(t, err)
	n := len(tr.at)
	c := replayConfig(BuiltinAzureConv)
	c.Arrival.Replay.ClassBy = ClassByContext
	c.Needs = NeedsConfig{Class: []NeedClass{
		{Name: "short", MinAccuracy: 75, SLOMs: 20, Weight: 1},
		{Name: "mid", MinAccuracy: 78, SLOMs: 50, Weight: 2},
		{Name: "long", MinAccuracy: 79.5, SLOMs: 100, Weight: 1}}}
	s, err := New(c, rng(1), nil, "") // no needs stream needed: the trace picks the class
	require.NoError(t, err)
	var q Query
	counts := make([]int, 3)
	lo, hi := []int32{math.MaxInt32, math.MaxInt32, math.MaxInt32}, []int32{-1, -1, -1}
	for i := 0; s.Next(&q); i++ {
		counts[q.Class]++
		lo[q.Class], hi[q.Class] = min(lo[q.Class], tr.ctx[i]), max(hi[q.Class], tr.ctx[i])
		require.Equal(t, c.Needs.Class[q.Class].MinAccuracy, q.MinAccuracy)
		require.Equal(t, int64(c.Needs.Class[q.Class].SLOMs*1e6), q.SLO)
	}
	assert.InDelta(t, float64(n)/4, counts[0], 1)
	assert.InDelta(t, float64(n)/2, counts[1], 1)
	assert.Equal(t, n, counts[0]+counts[1]+counts[2])
	assert.LessOrEqual(t, hi[0], lo[1])
	assert.LessOrEqual(t, hi[1], lo[2])
	c.Needs.Locality = 0.5
	assert.ErrorContains(t, c.Validate(), "needs.locality: not used: each query's class comes from the arrival process")
	c.Needs.Locality = 0
	c.Needs.Drift = DriftConfig{Weights: []float64{0, 0, 1}, PeriodS: 60, Steps: 4} // the trace picks the class: a drift would be ignored
	assert.ErrorContains(t, c.Validate(), "needs.drift: not used: each query's class comes from the arrival process")
}

// A malformed user file in the Azure LLM format is an error naming the
// file, line and column, from New and from Check.
func TestReplayBadFile(t *testing.T) {
	dir := t.TempDir()
	const head = "TIMESTAMP,ContextTokens,GeneratedTokens\n"
	for _, c := range []struct{ body, want string }{
		{head + "2023-11-16 18:15:46.6805900,374,44\n2023-11-16 18:15:4x.1,3,4\n", "t.csv:3:1: TIMESTAMP \"2023-11-16 18:15:4x.1\": want a date-time"},
		{head + "2023-11-16 18:15:46.6805900,374,44\n2023-11-16 18:15:45.0,3,4\n", "t.csv:3:1: TIMESTAMP 2023-11-16 18:15:45.0 is before the previous row's: times must not decrease"},
		{head + "2023-11-16 18:15:46.6805900,374,44\n2023-11-16 18:15:47.0,-3,4\n", "t.csv:3:23: ContextTokens \"-3\": want a non-negative integer"},
		{head + "2023-11-16 18:15:46.6805900,374,44\n2023-11-16 18:15:47.0,3\n", "t.csv:3:24: the row has 2 fields, the header has 3"},
		{"TIMESTAMP,Context,GeneratedTokens\n", "t.csv:1:11: header column 2 is \"Context\", want \"ContextTokens\""},
		{head + "2023-11-16 18:15:46.6805900,374,44\n", "a trace needs at least two rows with different times"},
		{"", "t.csv:1:1: empty file"},
		{head, "t.csv:2: a trace needs at least two rows with different times (it has 0 rows, all at one time)"},
	} {
		path := filepath.Join(dir, "t.csv")
		require.NoError(t, os.WriteFile(path, []byte(c.body), 0o644))
		cfg := Config{Queries: 10, Arrival: ArrivalConfig{Process: ProcessReplay, Replay: ReplayConfig{Path: "t.csv", Format: FormatAzureLLM}}, Needs: oneClass}
		_, err := New(cfg, rng(1), rng(2), dir)
		require.Error(t, err)
		assert.Contains(t, err.Error(), c.want)
		assert.True(t, strings.HasPrefix(err.Error(), "arrival.replay: "+dir), err.Error())
		assert.Equal(t, err.Error(), Check(cfg, dir).Error())
	}
}

// scaleNs agrees with big.Rat rounding across the whole range of factors,
// and reports overflow instead of wrapping.
func TestScaleNs(t *testing.T) {
	r := rng(9)
	for i := 0; i < 100000; i++ {
		f := math.Exp(r.Float64()*40 - 20)
		tm := r.Int64N(1 << (1 + r.IntN(62)))
		m, e := splitFloat(f)
		got, ok := scaleNs(tm, m, e)
		want := new(big.Rat).Mul(new(big.Rat).SetFloat64(f), new(big.Rat).SetInt64(tm))
		if want.Cmp(new(big.Rat).SetInt64(math.MaxInt64/2)) > 0 {
			continue // near the top: only the overflow report below
		}
		if !ok || got != roundScaled(f, tm) {
			require.FailNow(t, "scaleNs", "f=%v t=%d: got %d %v, want %d", f, tm, got, ok, roundScaled(f, tm))
		}
	}
	m, e := splitFloat(4)
	_, ok := scaleNs(math.MaxInt64/2, m, e)
	assert.False(t, ok)
	m, e = splitFloat(0.5)
	got, ok := scaleNs(3, m, e) // 1.5 rounds half up
	assert.True(t, ok)
	assert.Equal(t, int64(2), got)
}

// Replay of the built-in traces, scaled and looped, allocates nothing per
// query, with and without class_by.
func TestReplayAllocs(t *testing.T) {
	c := replayConfig(BuiltinAzureCode)
	c.Arrival.Rate, c.Arrival.Replay.Loop, c.Arrival.Replay.OffsetS = 77, true, 10
	c.Queries = 1 << 40
	s := mustNew(t, c, 1, 2)
	var q Query
	assert.Zero(t, testing.AllocsPerRun(30000, func() { s.Next(&q) })) // crosses three seams
	c.Arrival.Replay.ClassBy = ClassByGenerated
	c.Needs.Class = append(c.Needs.Class, NeedClass{MinAccuracy: 79, SLOMs: 50, Weight: 1})
	s = mustNew(t, c, 1, 2)
	assert.Zero(t, testing.AllocsPerRun(30000, func() { s.Next(&q) }))
}
