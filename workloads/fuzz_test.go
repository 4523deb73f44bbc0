package workloads_test

import (
	"bytes"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/sushisim/sushisim/workloads"
)

// replay writes data to path, builds the stream c describes and reads it to
// the end (at most limit queries), checking what every Source promises:
// arrivals never go back, needs are in range, and a stream that New accepted
// ends without a read error.
func replay(t *testing.T, path string, data []byte, c workloads.Config, limit int) {
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	src, err := workloads.New(c, rand.New(rand.NewPCG(1, 2)), rand.New(rand.NewPCG(3, 4)), filepath.Dir(path))
	if err != nil {
		return // rejected: fine, as long as it did not panic
	}
	s := src.(*workloads.Stream)
	defer s.Close()
	var q workloads.Query
	prev := int64(-1)
	for n := 0; n < limit && s.Next(&q); n++ {
		if q.Arrival < prev || q.Arrival < 0 {
			t.Fatalf("query %d arrives at %d ns, after one at %d ns", n, q.Arrival, prev)
		}
		prev = q.Arrival
		if !(q.MinAccuracy >= 0 && q.MinAccuracy <= 100) || q.SLO <= 0 {
			t.Fatalf("query %d has need (%v%%, %d ns)", n, q.MinAccuracy, q.SLO)
		}
		if q.Tenant < 0 || (s.Tenants() != nil && int(q.Tenant) >= len(s.Tenants())) {
			t.Fatalf("query %d has tenant %d of %d", n, q.Tenant, len(s.Tenants()))
		}
	}
	if err := s.Err(); err != nil {
		t.Fatalf("a trace New accepted failed during replay: %v", err)
	}
}

// seedFiles adds every file the patterns match, whole and cut to its first
// rows and columns: small seeds keep each execution, and the minimisation of
// what the fuzzer finds, fast.
func seedFiles(f *testing.F, rows, cols int, patterns ...string) {
	for _, p := range patterns {
		m, _ := filepath.Glob(p)
		for _, name := range m {
			b, err := os.ReadFile(name)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(b, false)
			f.Add(b, true)
			var cut [][]byte
			for i, line := range bytes.Split(b, []byte("\n")) {
				if i == rows {
					break
				}
				if fs := bytes.Split(line, []byte(",")); len(fs) > cols {
					line = bytes.Join(fs[:cols], []byte(","))
				}
				cut = append(cut, line)
			}
			f.Add(bytes.Join(cut, []byte("\n")), false)
		}
	}
}

var oneClass = workloads.NeedsConfig{Class: []workloads.NeedClass{{Name: "any", MinAccuracy: 75, SLOMs: 50, Weight: 1}}}

// FuzzTraceCSV replays arbitrary bytes as a CSV trace with per-query needs
// and tenants (5,000 queries at most). Seeds: testdata/trace_sample.csv and
// the bad traces of testdata/bad. CI runs the seeds; explore with
//
//	go test -run '^$' -fuzz FuzzTraceCSV -fuzztime 5m -fuzzminimizetime 10s ./workloads
//
// (the default minimisation budget, 60 s per new input, eats short runs).
func FuzzTraceCSV(f *testing.F) {
	seedFiles(f, 12, 4, filepath.Join("testdata", "trace_sample.csv"), filepath.Join("..", "testdata", "bad", "trace", "trace_*.data.csv"))
	path := filepath.Join(f.TempDir(), "trace.csv")
	f.Fuzz(func(t *testing.T, data []byte, rebase bool) {
		c := workloads.Config{Arrival: workloads.ArrivalConfig{Process: "trace", Trace: workloads.TraceConfig{
			Path: path, TimeColumn: "timestamp_ms", TimeUnit: "ms", AccuracyColumn: "min_accuracy",
			SLOColumn: "slo_ms", TenantColumn: "tenant", Rebase: rebase}}}
		replay(t, path, data, c, 5000)
		c.Arrival.Trace.AccuracyColumn, c.Arrival.Trace.SLOColumn, c.Needs = "", "", oneClass
		replay(t, path, data, c, 5000)
	})
}

// FuzzAzureCSV replays arbitrary bytes as an Azure Functions invocation
// file, at most 5,000 queries (a count cell may say two billion). Seeds:
// testdata/azure_sample.csv and the bad Azure files of testdata/bad.
//
//	go test -run '^$' -fuzz FuzzAzureCSV -fuzztime 5m -fuzzminimizetime 10s ./workloads
func FuzzAzureCSV(f *testing.F) {
	seedFiles(f, 6, 14, filepath.Join("testdata", "azure_sample.csv"), filepath.Join("..", "testdata", "bad", "trace", "azure_*.data.csv"))
	path := filepath.Join(f.TempDir(), "azure.csv")
	f.Fuzz(func(t *testing.T, data []byte, poisson bool) {
		spread := workloads.SpreadUniform
		if poisson {
			spread = workloads.SpreadPoisson
		}
		c := workloads.Config{Queries: 5000, Needs: oneClass,
			Arrival: workloads.ArrivalConfig{Process: "azure", Azure: workloads.AzureConfig{Path: path, Spread: spread}}}
		replay(t, path, data, c, 5000)
		c.Arrival.Azure.TopK, c.Arrival.Azure.Triggers = 2, []string{"http"}
		replay(t, path, data, c, 5000)
	})
}

// FuzzAzureLLM replays arbitrary bytes as a trace in the Azure LLM format,
// scaled and looped (5,000 queries at most), with need classes by token
// quantile. Seeds: the first rows of the built-in traces and the bad Azure
// LLM files of testdata/bad.
//
//	go test -run '^$' -fuzz FuzzAzureLLM -fuzztime 5m -fuzzminimizetime 10s ./workloads
func FuzzAzureLLM(f *testing.F) {
	seedFiles(f, 12, 3, filepath.Join("traces", "*.csv"), filepath.Join("..", "testdata", "bad", "trace", "llm_*.data.csv"))
	path := filepath.Join(f.TempDir(), "llm.csv")
	f.Fuzz(func(t *testing.T, data []byte, loop bool) {
		c := workloads.Config{Queries: 5000, Needs: oneClass, Arrival: workloads.ArrivalConfig{Process: "replay", Rate: 1000,
			Replay: workloads.ReplayConfig{Path: path, Loop: loop}}}
		replay(t, path, data, c, 5000)
		c.Arrival.Rate, c.Arrival.Replay.TimeScale, c.Arrival.Replay.ClassBy = 0, 1e-6, workloads.ClassByContext
		replay(t, path, data, c, 5000)
	})
}
