package engine

import "github.com/sushisim/sushisim/workloads"

// Outcome counts what became of a group of arrivals: the whole run, one
// need class or one tenant. Every arrival is counted; a query dropped by
// admission control or still in flight when the run stops meets neither
// its SLO nor its accuracy need, so ratios over Arrived charge it as a miss.
type Outcome struct {
	Arrived     int64
	Dropped     int64
	Completed   int64
	SLOMet      int64   // completed within the SLO (workloads.SLOMet)
	AccuracyMet int64   // completed by a SubNet at or above the need (workloads.AccuracyMet)
	BothMet     int64   // both at once
	AccuracySum float64 // served top-1 accuracy summed over completions
}

// Shares are o's counts as shares of its arrivals, a drop counting as a
// miss: the one definition of drop_fraction, slo_attainment,
// accuracy_need_met and both_met for a run, a class or a tenant. All are 0
// when nothing arrived.
func (o *Outcome) Shares() (drop, slo, acc, both float64) {
	if o.Arrived == 0 {
		return 0, 0, 0, 0
	}
	a := float64(o.Arrived)
	return float64(o.Dropped) / a, float64(o.SLOMet) / a, float64(o.AccuracyMet) / a, float64(o.BothMet) / a
}

// outcomes is a table of Outcome by a small non-negative key (need class or
// tenant). It grows only when a new key appears, so memory follows the
// number of classes and tenants, not of queries.
type outcomes []Outcome

func (o *outcomes) at(k int32) *Outcome {
	if k < 0 {
		return nil // needs from trace columns: no class
	}
	if int(k) >= len(*o) {
		*o = append(*o, make([]Outcome, int(k)+1-len(*o))...)
	}
	return &(*o)[k]
}

func (m *Metrics) observeArrival(q *workloads.Query) {
	m.Arrived++
	if c := m.ByClass.at(q.Class); c != nil {
		c.Arrived++
	}
	if t := m.ByTenant.at(q.Tenant); t != nil {
		t.Arrived++
	}
}

func (m *Metrics) observeDrop(q *workloads.Query) {
	m.Dropped++
	if c := m.ByClass.at(q.Class); c != nil {
		c.Dropped++
	}
	if t := m.ByTenant.at(q.Tenant); t != nil {
		t.Dropped++
	}
}

// Served records one completion in o: the one place a completion is
// counted against its needs, for a run, a class, a tenant or a window.
func (o *Outcome) Served(slo, acc bool, accuracy float64) {
	o.Completed++
	o.AccuracySum += accuracy
	if slo {
		o.SLOMet++
	}
	if acc {
		o.AccuracyMet++
	}
	if slo && acc {
		o.BothMet++
	}
}

// Add is the sum of two Outcomes (cells of one datacenter, windows).
func (o Outcome) Add(p Outcome) Outcome {
	return Outcome{Arrived: o.Arrived + p.Arrived, Dropped: o.Dropped + p.Dropped, Completed: o.Completed + p.Completed,
		SLOMet: o.SLOMet + p.SLOMet, AccuracyMet: o.AccuracyMet + p.AccuracyMet, BothMet: o.BothMet + p.BothMet,
		AccuracySum: o.AccuracySum + p.AccuracySum}
}

// Sub is o - p: the part of o after a snapshot p.
func (o Outcome) Sub(p Outcome) Outcome {
	return Outcome{Arrived: o.Arrived - p.Arrived, Dropped: o.Dropped - p.Dropped, Completed: o.Completed - p.Completed,
		SLOMet: o.SLOMet - p.SLOMet, AccuracyMet: o.AccuracyMet - p.AccuracyMet, BothMet: o.BothMet - p.BothMet,
		AccuracySum: o.AccuracySum - p.AccuracySum}
}
