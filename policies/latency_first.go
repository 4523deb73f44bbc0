package policies

import "github.com/sushisim/sushisim/accel"

// LatencyFirst serves each query with the fastest SubNet (on the instance's
// current SushiAbs row, so resident weights count) whose accuracy meets the
// need; ties go to the more accurate. The accuracy need is met exactly and
// never exceeded for its own sake: the baseline that spends caching's gains
// on latency instead of accuracy (SUSHI, MLSys 2023: the "accuracy-
// constrained" regime). If no SubNet meets the accuracy need it serves the
// most accurate one (assumed: the closest to the need). With admission
// "drop", a query is dropped when its chosen SubNet misses the SLO (then no
// SubNet meeting the accuracy need can make it) or none meets the accuracy.
type LatencyFirst struct {
	selectorBase
}

// Select implements Selector. SubNets meeting the need are a prefix of
// ByAccuracy, so the scan stops at the first that does not.
func (s *LatencyFirst) Select(n Need, row accel.Row) int32 {
	best := int32(-1)
	for _, i := range s.cat.ByAccuracy {
		if s.cat.SubNets[i].Accuracy < n.MinAccuracy {
			break
		}
		if best < 0 || row[i].LatencyNs < row[best].LatencyNs {
			best = i
		}
	}
	switch {
	case best < 0 && s.drop:
		return Drop
	case best < 0:
		return s.cat.ByAccuracy[0]
	case s.drop && !meetsSLO(&n, row[best].LatencyNs):
		return Drop
	}
	return best
}

// LatencyFirstSpec builds LatencyFirst.
type LatencyFirstSpec struct {
	SelectorParams
}

// Build implements Spec.
func (s *LatencyFirstSpec) Build(env *Env) (Selector, error) {
	base, err := s.prepare(env)
	if err != nil {
		return nil, err
	}
	return &LatencyFirst{selectorBase: base}, nil
}
