package policies

import "github.com/sushisim/sushisim/accel"

// Slack is SuperServe's SlackFit idea (SuperServe, NSDI'25, arXiv
// 2312.16733): pick the SubNet from the query's remaining
// slack, so that under load the served accuracy drops to keep deadlines. The
// SLO is hard and the accuracy need soft, the reverse of AccuracyFirst:
//
//	slack = SLO - Waited - predicted wait
//	serve the most accurate SubNet whose latency on the instance's current
//	row is <= slack (ties in accuracy: fewer MACs), even if it is below the
//	accuracy need; if none fits, the fastest SubNet (ties: the more
//	accurate), to finish as little late as possible.
//
// How the predicted wait enters: the engine selects at dispatch, when the
// query starts service, so its wait is known exactly (Need.Waited) and the
// wait still ahead is zero. When a router asks ClusterView.ServiceNs to
// predict service, Waited is zero and the predicted queueing is the
// instance's BacklogNs, added by the router outside the selector. SlackFit's
// batching and latency buckets (SuperServe does not publish its exact rule) are not
// modelled: sushisim serves one query at a time at the table's batch size.
//
// With admission "drop", a query is dropped when no SubNet both fits the
// slack and meets the accuracy need; since the chosen SubNet is the most
// accurate that fits, that is when the chosen one misses the accuracy need
// or nothing fits.
type Slack struct {
	selectorBase
}

// Select implements Selector in one scan of the accuracy-ordered catalog.
func (s *Slack) Select(n Need, row accel.Row) int32 {
	slack := n.SLO - n.Waited
	fast := int32(-1)
	for _, i := range s.cat.ByAccuracy {
		lat := row[i].LatencyNs
		if lat <= slack {
			if s.drop && s.cat.SubNets[i].Accuracy < n.MinAccuracy {
				return Drop
			}
			return i
		}
		if fast < 0 || lat < row[fast].LatencyNs {
			fast = i
		}
	}
	if s.drop {
		return Drop
	}
	return fast
}

// SlackSpec builds Slack.
type SlackSpec struct {
	SelectorParams
}

// Build implements Spec.
func (s *SlackSpec) Build(env *Env) (Selector, error) {
	base, err := s.prepare(env)
	if err != nil {
		return nil, err
	}
	return &Slack{selectorBase: base}, nil
}
