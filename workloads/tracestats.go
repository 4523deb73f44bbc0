package workloads

// TraceStats describes a replayable trace's arrivals, as the file has them.
type TraceStats struct {
	Requests       int
	SpanS          float64 // first request to last, s
	MeanRate       float64 // (n-1)/span, queries/s: the rate a looped replay keeps
	CV2            float64 // squared coefficient of variation of the n-1 gaps
	PeakMeanMinute float64 // the busiest minute's count over the mean count per minute (minutes counted from the first request)
	PeakMeanSecond float64 // the same per second
	EmptySeconds   float64 // share of the seconds (from the first request) with no request
}

// BuiltinStats computes the statistics of a built-in trace.
func BuiltinStats(name string) (TraceStats, error) {
	t, err := loadBuiltin(name)
	if err != nil {
		return TraceStats{}, err
	}
	return t.stats(), nil
}

func (t *llmTrace) stats() TraceStats {
	n := len(t.at)
	s := TraceStats{Requests: n, SpanS: float64(t.span()) / 1e9}
	var sum, sumSq float64
	for i := 1; i < n; i++ {
		g := float64(t.at[i] - t.at[i-1])
		sum += g
		sumSq += g * g
	}
	mean := sum / float64(n-1)
	s.MeanRate = 1e9 / mean
	s.CV2 = (sumSq/float64(n-1) - mean*mean) / (mean * mean)
	s.PeakMeanMinute, _ = t.peakMean(60e9)
	var empty int
	s.PeakMeanSecond, empty = t.peakMean(1e9)
	bins := t.span()/1e9 + 1
	s.EmptySeconds = float64(empty) / float64(bins)
	return s
}

// peakMean bins requests by windows of width ns from the first request
// (the replay's time 0) to the last and returns the largest count over the
// mean count, and the number of empty windows.
func (t *llmTrace) peakMean(width int64) (float64, int) {
	bins := t.span()/width + 1
	peak, cur, empty := 0, 0, int(bins)
	curBin := int64(-1)
	for _, a := range t.at {
		b := a / width
		if b != curBin {
			cur, curBin = 0, b
			empty--
		}
		cur++
		peak = max(peak, cur)
	}
	return float64(peak) / (float64(len(t.at)) / float64(bins)), empty
}
