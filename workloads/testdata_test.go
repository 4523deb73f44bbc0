package workloads

import (
	"bytes"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite the generated files under testdata/")

// The shipped sample files are generated here, from a fixed seed, so their
// provenance is code: `go test ./workloads -run TestTestdataIsGenerated -update`
// rewrites them, and the test fails if they drift from the generator.
var generated = map[string]func() []byte{
	"azure_sample.csv": azureSample,
	"trace_sample.csv": traceSample,
}

func TestTestdataIsGenerated(t *testing.T) {
	for name, gen := range generated {
		path := filepath.Join("testdata", name)
		want := gen()
		if *update {
			require.NoError(t, os.WriteFile(path, want, 0o644))
		}
		got, err := os.ReadFile(path)
		require.NoError(t, err)
		require.True(t, bytes.Equal(want, got), "%s differs from its generator; rerun with -update", path)
	}
}

// azureSample is a synthetic day in the schema of the Azure Functions 2019
// invocations_per_function_md.anon.dNN.csv files: eight functions with
// shapes seen in that dataset (a diurnal HTTP API, a 5-minute timer, a
// bursty queue, sparse events, an idle function) plus one case the real
// data never has: two functions in different apps sharing a HashFunction
// value (the dataset salts hashes per app), to exercise selection by hash.
// Triggers use the dataset's seven groups. The counts are synthetic.
func azureSample() []byte {
	r := rand.New(rand.NewPCG(2019, 7))
	hash := func() string {
		return fmt.Sprintf("%016x%016x%016x%016x", r.Uint64(), r.Uint64(), r.Uint64(), r.Uint64())
	}
	poisson := func(mean float64) int { // Knuth's method; means here are small
		l, k, p := math.Exp(-mean), 0, 1.0
		for {
			p *= r.Float64()
			if p <= l {
				return k
			}
			k++
		}
	}
	ownerA, ownerB := hash(), hash()
	appA, appB, appC := hash(), hash(), hash()
	shared := hash()
	type fn struct {
		owner, app, fn, trigger string
		count                   func(m int) int
	}
	fns := []fn{
		{ownerA, appA, hash(), "http", func(m int) int {
			return poisson(30 * (1 + 0.8*math.Sin(2*math.Pi*float64(m-360)/azureMinutes)))
		}},
		{ownerA, appA, hash(), "timer", func(m int) int {
			if m%5 == 0 {
				return 1
			}
			return 0
		}},
		{ownerA, appB, hash(), "queue", func(m int) int {
			if m%120 < 3 {
				return 150 + poisson(20)
			}
			return 0
		}},
		{ownerB, appC, shared, "http", func(m int) int { return poisson(6) }},
		{ownerB, appC, hash(), "event", func(m int) int {
			if r.Float64() < 0.05 {
				return 1 + poisson(1)
			}
			return 0
		}},
		{ownerB, appC, hash(), "http", func(m int) int { return 0 }},
		{ownerB, appB, shared, "orchestration", func(m int) int { return poisson(2) }},
		{ownerA, appB, hash(), "others", func(m int) int { return poisson(0.5) }},
	}
	var b bytes.Buffer
	b.WriteString("HashOwner,HashApp,HashFunction,Trigger")
	for m := 1; m <= azureMinutes; m++ {
		fmt.Fprintf(&b, ",%d", m)
	}
	b.WriteByte('\n')
	for _, f := range fns {
		fmt.Fprintf(&b, "%s,%s,%s,%s", f.owner, f.app, f.fn, f.trigger)
		for m := 0; m < azureMinutes; m++ {
			fmt.Fprintf(&b, ",%d", f.count(m))
		}
		b.WriteByte('\n')
	}
	return b.Bytes()
}

// traceSample is a synthetic CSV trace: arrival times in milliseconds,
// per-query needs and a tenant, 200 rows with ties and sub-ms times.
func traceSample() []byte {
	r := rand.New(rand.NewPCG(6, 2))
	var b bytes.Buffer
	b.WriteString("timestamp_ms,tenant,min_accuracy,slo_ms\n")
	t := 0.0
	for i := 0; i < 200; i++ {
		if i%17 != 0 { // every 17th row repeats the previous time
			t += math.Round(r.ExpFloat64()*5000) / 1000 // mean gap 5 ms, µs resolution
		}
		fmt.Fprintf(&b, "%.3f,%d,%.1f,%d\n", t, r.IntN(3), 74+r.Float64()*6, 5+5*r.IntN(10))
	}
	return b.Bytes()
}
