package results

import (
	"reflect"
	"strconv"
)

// Outcome is what became of one group of a run's arrivals (a need class or
// a tenant): the summary's needs-met columns, over the group's arrivals.
type Outcome struct {
	Group              string  `json:"group"` // "class" or "tenant"
	Key                string  `json:"key"`   // the class's name (its index if unnamed) or the tenant index
	Queries            int64   `json:"queries"`
	Completed          int64   `json:"completed"`
	Dropped            int64   `json:"dropped"`
	SLOAttainment      float64 `json:"slo_attainment"`
	AccuracyNeedMet    float64 `json:"accuracy_need_met"`
	BothMet            float64 `json:"both_met"`
	AccuracyMeanServed float64 `json:"accuracy_mean_served"`
}

// ClassRow is one Outcome of one run.
type ClassRow struct {
	Point, Replication int
	Policy             string
	Outcome
}

// ClassColumns are the columns of classes.csv.
func ClassColumns() []string {
	return append([]string{"point", "replication", "policy"}, structColumns(reflect.TypeOf(Outcome{}))...)
}

func classesCSV(rows []ClassRow) []byte {
	var recs [][]string
	for _, c := range rows {
		rec := []string{strconv.Itoa(c.Point), strconv.Itoa(c.Replication), c.Policy}
		recs = append(recs, append(rec, record(reflect.ValueOf(c.Outcome))...))
	}
	return csvBytes(ClassColumns(), recs)
}
