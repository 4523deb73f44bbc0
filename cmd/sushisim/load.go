package main

import (
	"fmt"
	"io"

	"github.com/sushisim/sushisim/accel"
	"github.com/sushisim/sushisim/experiments/config"
	"github.com/sushisim/sushisim/experiments/execute"
	"github.com/sushisim/sushisim/models"
	"github.com/sushisim/sushisim/workloads"
)

// explainLoad prints what sets a single-point experiment's SLO attainment,
// before its results. Per need class, with nothing resident: the fastest
// SubNet that meets the class's accuracy (the least work that serves it)
// and the most accurate one within its SLO (what accuracy-first selection
// picks when the queue is empty), each with the load a run of that class
// alone puts on the instances (rate x service / instances; with locality
// queries come in runs of one class), and the M/D/1 wait such a run
// builds, rho/(2(1-rho)) service times. It says nothing for sweeps, mixed
// hardware or arrivals without a mean rate.
func explainLoad(w io.Writer, x *config.Experiment) error {
	needs := x.Workload.Needs.Class
	rate := x.Workload.Arrival.Rate
	if len(x.Points) != 1 || len(x.Groups) != 1 || rate <= 0 || len(needs) == 0 {
		return nil
	}
	subs, err := execute.SubNets(x.Model, x.Dir)
	if err != nil {
		return err
	}
	hw := x.Groups[0].Hardware
	costs, _ := execute.EmptyPBCosts(subs, &hw)
	n := float64(x.Groups[0].Count)
	fmt.Fprintf(w, "load: %s (%s), %g queries/s on %d instance(s); per class, service with an empty PB:\n",
		hw.Preset, x.Model.SuperNet, rate, x.Groups[0].Count)
	for _, c := range needs {
		slo := c.SLONs()
		fast, best := pick(subs, costs, c.MinAccuracy, slo)
		if fast == nil {
			fmt.Fprintf(w, "  %-10s needs %.1f%%: no SubNet reaches it, every query of the class misses its accuracy\n", c.Name, c.MinAccuracy)
			continue
		}
		fmt.Fprintf(w, "  %-10s needs %.1f%% within %g ms: fastest %s\n", c.Name, c.MinAccuracy, c.SLOMs, served(fast, costs, rate, n, slo))
		if best != nil && best != fast {
			fmt.Fprintf(w, "  %-10s most accurate within the SLO %s\n", "", served(best, costs, rate, n, slo))
		}
	}
	if l := x.Workload.Needs.Locality; l > 0 {
		fmt.Fprintf(w, "  locality %g: a class persists for %.0f queries on average, so each class's load comes in runs\n", l, 1/(1-min(l, 0.999)))
	}
	fmt.Fprintln(w)
	return nil
}

// pick is the fastest SubNet meeting the accuracy, and the most accurate
// one meeting both accuracy and SLO alone (nil when none).
func pick(subs []*models.SubNet, costs map[*models.SubNet]accel.Cost, minAcc float64, slo int64) (fast, best *models.SubNet) {
	for _, s := range subs {
		if !workloads.AccuracyMet(s.Accuracy, minAcc) {
			continue
		}
		ns := costs[s].LatencyNs
		if fast == nil || ns < costs[fast].LatencyNs {
			fast = s
		}
		if workloads.SLOMet(ns, slo) && (best == nil || s.Accuracy > best.Accuracy) {
			best = s
		}
	}
	return fast, best
}

// served describes serving a run of one class with s: service time, load,
// the M/D/1 wait and whether service plus wait still meets the SLO.
func served(s *models.SubNet, costs map[*models.SubNet]accel.Cost, rate, instances float64, slo int64) string {
	svc := float64(costs[s].LatencyNs) / 1e9
	rho := rate * svc / instances
	desc := fmt.Sprintf("%s (%.1f%%) %.1f ms, load %.2f", s.Name, s.Accuracy, svc*1e3, rho)
	switch {
	case !workloads.SLOMet(costs[s].LatencyNs, slo):
		return desc + ": misses the SLO even alone, unless caching shortens it"
	case rho >= 1:
		return desc + ": a run of this class overloads the instance, its queue grows until the class changes"
	}
	wait := rho / (2 * (1 - rho)) * svc
	verdict := "meets the SLO on average"
	if !workloads.SLOMet(int64((svc+wait)*1e9), slo) {
		verdict = "misses the SLO on average"
	}
	return fmt.Sprintf("%s, M/D/1 wait %.1f ms: %s", desc, wait*1e3, verdict)
}
