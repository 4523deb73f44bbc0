package results

import (
	"fmt"
	"path/filepath"
	"reflect"
)

// Files of a datacenter run ([datacenter] in the experiment file).
const (
	DatacenterCSV       = "datacenter.csv"        // one row per run: the whole datacenter, energy by component and state
	CellsCSV            = "cells.csv"             // the same columns for every cell of every run
	DatacenterSeriesCSV = "datacenter_series.csv" // the datacenter's windows (datacenter.window_s > 0)
)

// DatacenterRow is one row of datacenter.csv (all cells of a run merged) or
// of cells.csv (one cell). Energies are J over the run; instance-seconds
// sum over instances.
type DatacenterRow struct {
	Point       int     `json:"point"`
	Replication int     `json:"replication"`
	Cell        int     `json:"cell"` // -1 in datacenter.csv: every cell
	Policy      string  `json:"policy"`
	Cells       int     `json:"cells"`
	Instances   int64   `json:"instances"`
	SimS        float64 `json:"sim_s"`

	Queries       int64   `json:"queries"`
	Completed     int64   `json:"completed"`
	Dropped       int64   `json:"dropped"`
	LatencyMsP50  float64 `json:"latency_ms_p50"`
	LatencyMsP99  float64 `json:"latency_ms_p99"`
	SLOAttainment float64 `json:"slo_attainment"` // of arrivals: a drop or a query still in flight is a miss

	MeanActive   float64 `json:"mean_active_instances"`
	Wakes        int64   `json:"wakes"`
	BusyInstS    float64 `json:"busy_instance_s"` // service and reloads
	IdleInstS    float64 `json:"idle_instance_s"`
	WakingInstS  float64 `json:"waking_instance_s"`
	OffInstS     float64 `json:"off_instance_s"`
	EnergyJ      float64 `json:"energy_j"` // everything below
	EnergyMACJ   float64 `json:"energy_mac_j"`
	EnergySRAMJ  float64 `json:"energy_sram_j"`
	EnergyDRAMJ  float64 `json:"energy_dram_j"`
	EnergyStatJ  float64 `json:"energy_static_busy_j"` // static power while serving or reloading
	EnergyIdleJ  float64 `json:"energy_idle_j"`
	EnergyWakeJ  float64 `json:"energy_waking_j"`
	EnergyOffJ   float64 `json:"energy_off_j"`
	EnergyJPerQ  float64 `json:"energy_j_per_query"`
	MeanPowerW   float64 `json:"mean_power_w"`
	ReloadShareE float64 `json:"reload_energy_share"` // of EnergyJ, spent on PB reloads (included in mac..static)
}

// SeriesRow is one window of datacenter_series.csv.
type SeriesRow struct {
	Point         int     `json:"point"`
	Replication   int     `json:"replication"`
	Policy        string  `json:"policy"`
	TS            float64 `json:"t_s"`
	WindowS       float64 `json:"window_s"`
	Arrived       int64   `json:"arrived"`
	Completed     int64   `json:"completed"`
	Dropped       int64   `json:"dropped"`
	LoadQPS       float64 `json:"load_qps"` // arrivals per second
	LatencyMsMean float64 `json:"latency_ms_mean"`
	LatencyMsP99  float64 `json:"latency_ms_p99"`
	SLOAttainment float64 `json:"slo_attainment"` // of the window's completions
	MeanActive    float64 `json:"mean_active_instances"`
	Utilization   float64 `json:"utilization"` // busy time over routable instance time
	PowerW        float64 `json:"power_w"`     // mean over the window
	EnergyJ       float64 `json:"energy_j"`
	EnergyServeJ  float64 `json:"energy_service_j"`
	EnergyIdleJ   float64 `json:"energy_idle_j"`
	EnergyWakeJ   float64 `json:"energy_waking_j"`
	EnergyOffJ    float64 `json:"energy_off_j"`
}

// WriteDatacenter writes datacenter.csv, cells.csv and, when there are
// windows, datacenter_series.csv into dir.
func WriteDatacenter(dir string, dc, cells []DatacenterRow, series []SeriesRow) error {
	files := map[string][]byte{DatacenterCSV: rowsCSV(dc), CellsCSV: rowsCSV(cells)}
	if len(series) > 0 {
		files[DatacenterSeriesCSV] = rowsCSV(series)
	}
	for _, name := range []string{DatacenterCSV, CellsCSV, DatacenterSeriesCSV} {
		if b, ok := files[name]; ok {
			if err := WriteFile(filepath.Join(dir, name), b); err != nil {
				return err
			}
		}
	}
	return nil
}

// rowsCSV writes structs as CSV, a column per field, headed by its JSON name.
func rowsCSV[T any](rows []T) []byte {
	var recs [][]string
	for i := range rows {
		recs = append(recs, record(reflect.ValueOf(rows[i])))
	}
	return csvBytes(structColumns(reflect.TypeOf(rows).Elem()), recs)
}

// ReadSeries reads datacenter_series.csv of a results directory.
func ReadSeries(dir string) ([]SeriesRow, error) {
	path := filepath.Join(dir, DatacenterSeriesCSV)
	head, recs, err := ReadCSV(path)
	if err != nil {
		return nil, err
	}
	cols := structColumns(reflect.TypeOf(SeriesRow{}))
	if len(head) != len(cols) {
		return nil, fmt.Errorf("%s:1: want the %d columns %s...", path, len(cols), cols[0])
	}
	out := make([]SeriesRow, len(recs))
	for n, rec := range recs {
		if err := scanStruct(rec, reflect.ValueOf(&out[n]).Elem()); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", path, n+2, err)
		}
	}
	return out, nil
}
