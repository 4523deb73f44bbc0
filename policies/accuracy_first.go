package policies

import "github.com/sushisim/sushisim/accel"

// AccuracyFirst is the SUSHI slice's rule: the most accurate SubNet that
// meets the accuracy need and whose finish (time already waited + service
// with the resident SubGraph) meets the SLO; else the fastest SubNet that
// meets the accuracy need (an SLO miss); else the fastest SubNet (both
// missed). The accuracy need is hard, the SLO soft. Ties in accuracy go to
// fewer MACs, ties in latency to the more accurate. Source: SUSHI (MLSys
// 2023), SushiSched: queries carry both needs, f(Acc, Latency) -> SN_t; the
// fallback order is assumed. With admission "drop", a query no SubNet serves within both
// needs is dropped instead of taking a fallback.
type AccuracyFirst struct {
	selectorBase
}

// Select implements Selector in one scan of the accuracy-ordered catalog.
func (a *AccuracyFirst) Select(n Need, row accel.Row) int32 {
	fastMeet, fastAny := int32(-1), int32(-1)
	for _, i := range a.cat.ByAccuracy {
		lat := row[i].LatencyNs
		meetsAcc := a.cat.SubNets[i].Accuracy >= n.MinAccuracy
		if meetsAcc && meetsSLO(&n, lat) {
			return i
		}
		if meetsAcc && (fastMeet < 0 || lat < row[fastMeet].LatencyNs) {
			fastMeet = i
		}
		if fastAny < 0 || lat < row[fastAny].LatencyNs {
			fastAny = i
		}
	}
	if a.drop {
		return Drop // nothing met both needs
	}
	if fastMeet >= 0 {
		return fastMeet
	}
	return fastAny
}

// AccuracyFirstSpec builds AccuracyFirst.
type AccuracyFirstSpec struct {
	SelectorParams
}

// Build implements Spec.
func (s *AccuracyFirstSpec) Build(env *Env) (Selector, error) {
	base, err := s.prepare(env)
	if err != nil {
		return nil, err
	}
	return &AccuracyFirst{selectorBase: base}, nil
}
