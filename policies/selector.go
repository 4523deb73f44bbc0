package policies

import "github.com/sushisim/sushisim/accel"

// Drop is what a Selector returns to turn a query away (admission
// control); the engine counts it as dropped.
const Drop int32 = -1

// Selector picks the SubNet (a catalog index) that serves a query, given the
// costs of every SubNet with the instance's resident SubGraph. Because the
// row reflects what is resident, a SubNet that reuses the PB looks cheaper,
// which is how caching turns into served accuracy.
type Selector interface {
	Select(n Need, row accel.Row) int32
}

// AccuracyFirst is the SUSHI slice's rule: the most accurate SubNet that
// meets the accuracy need and whose finish (time already waited + service
// with the resident SubGraph) meets the SLO; else the fastest SubNet that
// meets the accuracy need (an SLO miss); else the fastest SubNet (both
// missed). Source: sushi-facts.md §5 (query needs, f(Acc, Latency) -> SN_t);
// the fallback order is assumed.
type AccuracyFirst struct {
	cat *Catalog
}

// Select implements Selector in one scan of the accuracy-ordered catalog.
func (a *AccuracyFirst) Select(n Need, row accel.Row) int32 {
	fastMeet, fastAny := int32(-1), int32(-1)
	for _, i := range a.cat.ByAccuracy {
		lat := row[i].LatencyNs
		meetsAcc := a.cat.SubNets[i].Accuracy >= n.MinAccuracy
		if meetsAcc && n.Waited+lat <= n.SLO {
			return i
		}
		if meetsAcc && (fastMeet < 0 || lat < row[fastMeet].LatencyNs) {
			fastMeet = i
		}
		if fastAny < 0 || lat < row[fastAny].LatencyNs {
			fastAny = i
		}
	}
	if fastMeet >= 0 {
		return fastMeet
	}
	return fastAny
}
