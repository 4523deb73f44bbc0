package workloads

import (
	"cmp"
	"fmt"
	"math"
	"math/bits"
	"slices"
)

// ReplayConfig is [workload.arrival.replay]: replay a trace in the Azure LLM
// inference format (TIMESTAMP,ContextTokens,GeneratedTokens), built in or
// from a file, scaled in time to a load, optionally looped and offset.
type ReplayConfig struct {
	Builtin   string  `toml:"builtin"`    // a built-in trace (Builtins()), or
	Path      string  `toml:"path"`       // a file; relative paths resolve against baseDir
	Format    string  `toml:"format"`     // the file's format: "azure-llm" (the default and only one)
	TimeScale float64 `toml:"time_scale"` // multiply every time by this (0 = 1; or set arrival.rate instead)
	OffsetS   float64 `toml:"offset_s"`   // start this far into the trace, in trace seconds (before scaling)
	Loop      bool    `toml:"loop"`       // repeat the trace after its end (needs queries or duration_s)
	ClassBy   string  `toml:"class_by"`   // optional: "context_tokens" or "generated_tokens" picks the need class by quantile
}

// The file format and the class_by columns arrival.replay accepts.
const (
	FormatAzureLLM   = "azure-llm"
	ClassByContext   = "context_tokens"
	ClassByGenerated = "generated_tokens"
)

const (
	replayKey = "arrival.replay"
	// maxTimeScale bounds the factor both ways: times stay far from int64
	// overflow for centuries of replay, and 1e-6 already puts an hour's
	// trace into 3.6 ms.
	maxTimeScale = 1e6
)

func (a *ArrivalConfig) validateReplay(v *Problems) {
	r := &a.Replay
	switch {
	case r.Builtin == "" && r.Path == "":
		v.Add(replayKey+".builtin", "set builtin (one of %s) or path (a file in the %q format)", quoteList(Builtins()), FormatAzureLLM)
	case r.Builtin != "" && r.Path != "":
		v.Add(replayKey+".path", "set builtin or path, not both")
	case r.Builtin != "":
		if _, ok := builtinFiles[r.Builtin]; !ok {
			v.Add(replayKey+".builtin", "unknown built-in trace %q; known: %s", r.Builtin, quoteList(Builtins()))
		}
	}
	if r.Format != "" && r.Format != FormatAzureLLM {
		v.Add(replayKey+".format", "unknown format %q; known: %q (TIMESTAMP,ContextTokens,GeneratedTokens)", r.Format, FormatAzureLLM)
	} else if r.Format != "" && r.Path == "" {
		v.Add(replayKey+".format", "only for a path: a built-in trace has its own format")
	}
	if a.Rate != 0 {
		v.Positive("arrival.rate", a.Rate)
		if r.TimeScale != 0 {
			v.Add(replayKey+".time_scale", "set arrival.rate or time_scale, not both")
		}
	}
	v.NonNegative(replayKey+".time_scale", r.TimeScale, "(0 = 1, or set arrival.rate)")
	if r.TimeScale > maxTimeScale || (r.TimeScale > 0 && r.TimeScale < 1/maxTimeScale) {
		v.Add(replayKey+".time_scale", "must be in [%g, %g], got %v", 1/maxTimeScale, maxTimeScale, r.TimeScale)
	}
	v.NonNegative(replayKey+".offset_s", r.OffsetS, "(0 = from the first request)")
	if r.ClassBy != "" && r.ClassBy != ClassByContext && r.ClassBy != ClassByGenerated {
		v.Add(replayKey+".class_by", "unknown column %q; known: %q, %q", r.ClassBy, ClassByContext, ClassByGenerated)
	}
}

func init() {
	// Replay an Azure LLM inference trace (built in or a file), scaled to a
	// rate, looped, offset.
	Register(Process{Name: ProcessReplay, Keys: []string{"rate", "replay"},
		Validate: (*ArrivalConfig).validateReplay,
		Build: func(a *ArrivalConfig, env *BuildEnv) (Arrivals, error) {
			return newReplayProcess(a, env)
		},
		Finite: func(a *ArrivalConfig) bool { return !a.Replay.Loop },
		MeanRate: func(a *ArrivalConfig) (float64, bool) {
			if a.Rate > 0 {
				return a.Rate, true
			}
			t, err := loadBuiltin(a.Replay.Builtin) // a file's rate needs the file: not known from the keys
			if err != nil {
				return 0, false
			}
			return t.loopRate() / cmp.Or(a.Replay.TimeScale, 1), true
		},
		Files: func(a *ArrivalConfig) []FileRef {
			if a.Replay.Path == "" {
				return nil
			}
			return []FileRef{{replayKey + ".path", a.Replay.Path}}
		},
		Needs: func(a *ArrivalConfig) NeedsSource {
			if a.Replay.ClassBy != "" {
				return ClassFromArrivals
			}
			return NeedsModel
		}})
}

// loopRate is the mean rate of the trace looped, queries/s: n requests per
// period.
func (t *llmTrace) loopRate() float64 { return float64(len(t.at)) * 1e9 / float64(t.period()) }

// replayProcess replays a trace: arrival k (lap L, row i) is at
// round(f * (L*period + at[i] - offset)) ns, for the rows at or after the
// offset, with f the time scale and round half up computed exactly on the
// integer trace time and f's binary value (scaleNs), so no error
// accumulates over laps or rows.
type replayProcess struct {
	tr     *llmTrace
	mant   uint64 // f = mant * 2^exp exactly
	exp    int
	period int64 // ns of one lap before scaling (span + seam gap)
	offset int64 // ns of trace time skipped at the start
	loop   bool
	i      int   // next row
	lap    int64 // current lap
	over   bool  // ended: the trace is spent or time would overflow int64

	class  []int32 // per-row class when class_by is set, else nil
	minAcc []float64
	sloNs  []int64
}

func newReplayProcess(a *ArrivalConfig, env *BuildEnv) (*replayProcess, error) {
	r := &a.Replay
	var tr *llmTrace
	var err error
	if r.Builtin != "" {
		tr, err = loadBuiltin(r.Builtin)
	} else {
		tr, err = loadAzureLLMFile(resolvePath(env.BaseDir, r.Path))
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", replayKey, err)
	}
	f := cmp.Or(r.TimeScale, 1.0)
	if a.Rate > 0 {
		f = tr.loopRate() / a.Rate
		if !(f >= 1/maxTimeScale && f <= maxTimeScale) {
			return nil, fmt.Errorf("arrival.rate: %v queries/s is %g times the trace's %.4g; the time scale must stay in [%g, %g]",
				a.Rate, 1/f, tr.loopRate(), 1/maxTimeScale, maxTimeScale)
		}
	}
	p := &replayProcess{tr: tr, period: tr.period(), offset: secondsToNs(r.OffsetS), loop: r.Loop}
	p.mant, p.exp = splitFloat(f)
	limit, what := tr.span(), "span"
	if r.Loop {
		limit, what = p.period-1, "lap"
	}
	if p.offset > limit {
		return nil, fmt.Errorf("%s.offset_s: %v s is past the trace's %s (%.6f s)", replayKey, r.OffsetS, what, float64(limit)/1e9)
	}
	p.i, _ = slices.BinarySearch(tr.at, p.offset) // the first row at or after the offset
	if r.ClassBy != "" {
		p.classes(r.ClassBy, env.Classes)
	}
	return p, nil
}

// loadAzureLLMFile parses a user's trace file.
func loadAzureLLMFile(path string) (*llmTrace, error) {
	f, err := openRegular(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return parseAzureLLM(f, path)
}

// classes maps each row to a need class by the rank of its token count:
// rows sorted by (tokens, row), the first share w0 of them get class 0, the
// next w1 class 1, and so on, so each class's share of the trace is its
// weight to within one row, and a larger count never gets a lower class
// than a smaller one (ties go by arrival order).
func (p *replayProcess) classes(by string, cls []NeedClass) {
	tokens := p.tr.ctx
	if by == ClassByGenerated {
		tokens = p.tr.gen
	}
	n := len(tokens)
	order := make([]int32, n)
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortStableFunc(order, func(x, y int32) int { return cmp.Compare(tokens[x], tokens[y]) })
	var sum float64
	for _, c := range cls {
		sum += c.Weight
		p.minAcc = append(p.minAcc, c.MinAccuracy)
		p.sloNs = append(p.sloNs, c.SLONs())
	}
	p.class = make([]int32, n)
	rank, acc := 0, 0.0
	for k, c := range cls {
		acc += c.Weight
		end := int(math.Round(acc / sum * float64(n)))
		if k == len(cls)-1 {
			end = n
		}
		for ; rank < end; rank++ {
			p.class[order[rank]] = int32(k)
		}
	}
}

// Next implements Arrivals. It allocates nothing.
func (p *replayProcess) Next(q *Query) bool {
	if p.over {
		return false
	}
	at := p.tr.at
	hi, lo := bits.Mul64(uint64(p.lap), uint64(p.period))
	t := int64(lo) + at[p.i] - p.offset
	if hi != 0 || lo > math.MaxInt64-uint64(at[p.i]) {
		p.over = true
		return false
	}
	ns, ok := scaleNs(t, p.mant, p.exp)
	if !ok {
		p.over = true
		return false
	}
	q.Arrival = ns
	if p.class != nil {
		c := p.class[p.i]
		q.Class, q.MinAccuracy, q.SLO = c, p.minAcc[c], p.sloNs[c]
	}
	p.i++
	if p.i == len(at) {
		p.i = 0
		p.lap++
		p.over = !p.loop
	}
	return true
}

// splitFloat writes a positive normal float64 f as mant * 2^exp exactly.
func splitFloat(f float64) (mant uint64, exp int) {
	frac, e := math.Frexp(f) // f = frac * 2^e, frac in [0.5, 1)
	return uint64(frac * (1 << 53)), e - 53
}

// scaleNs returns round(t * mant * 2^exp), halves rounded up, exactly, for
// t >= 0 (a 128-bit product, then a rounded shift); ok is false if the
// result does not fit in int64.
func scaleNs(t int64, mant uint64, exp int) (int64, bool) {
	hi, lo := bits.Mul64(uint64(t), mant)
	switch {
	case exp >= 0:
		if exp >= 64 || hi != 0 || lo > math.MaxInt64>>exp {
			return 0, lo == 0 && hi == 0
		}
		return int64(lo << exp), true
	case -exp >= 128:
		return 0, true // t*mant < 2^116, so the value is below 2^-12
	}
	s := uint(-exp)
	// add half of the last kept unit: 2^(s-1)
	var hh, hl uint64
	if s-1 >= 64 {
		hh = 1 << (s - 1 - 64)
	} else {
		hl = 1 << (s - 1)
	}
	lo, c := bits.Add64(lo, hl, 0)
	hi, _ = bits.Add64(hi, hh, c) // t*mant < 2^116: no carry out
	if s >= 64 {
		lo, hi = hi>>(s-64), 0
	} else {
		lo, hi = lo>>s|hi<<(64-s), hi>>s
	}
	if hi != 0 || lo > math.MaxInt64 {
		return 0, false
	}
	return int64(lo), true
}
