package main

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sushisim/sushisim/accel"
	"github.com/sushisim/sushisim/models"
)

// The quickstart's output explains its load: per class the SubNet, its
// service time and load, recomputed here from the cost model by hand.
func TestRunExplainsTheLoad(t *testing.T) {
	stdout, _, err := runCLI(t, "run", "../../experiments/quickstart.toml", "--out", filepath.Join(t.TempDir(), "qs"), "--no-figures")
	require.NoError(t, err)
	net, err := models.Lookup("ofa-resnet50")
	require.NoError(t, err)
	cat, err := models.BuiltinCatalog(net, "reference")
	require.NoError(t, err)
	hw, _ := accel.Preset("zcu104")
	for _, c := range []struct {
		i       int
		slo     float64
		verdict string
	}{{0, 10, "meets the SLO on average"}, {4, 60, "misses the SLO on average"}} {
		svc := float64(hw.Cost(cat[c.i], models.SubGraph{}).LatencyNs) / 1e9
		rho := 20 * svc // 20 queries/s, one instance
		wait := rho / (2 * (1 - rho)) * svc
		want := fmt.Sprintf("fastest ref%d (%.1f%%) %.1f ms, load %.2f, M/D/1 wait %.1f ms: %s",
			c.i, cat[c.i].Accuracy, svc*1e3, rho, wait*1e3, c.verdict)
		assert.Contains(t, stdout, want)
	}
	assert.Contains(t, stdout, "locality 0.98: a class persists for 50 queries")
	assert.Less(t, strings.Index(stdout, "load: zcu104"), strings.Index(stdout, "SLO met"), "the explanation comes before the table")
}
