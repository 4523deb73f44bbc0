package main

import (
	"encoding/csv"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCatalogListsTheSixReferenceSubNets(t *testing.T) {
	out, _, err := runRoot(t, "catalog", "--supernet", "ofa-resnet50", "--builtin", "reference", "--format", "csv")
	require.NoError(t, err)
	recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	require.NoError(t, err)
	require.Len(t, recs, 7)
	assert.Equal(t, []string{"name", "config", "layers", "macs", "params", "weight_bytes", "accuracy", "accuracy_source"}, recs[0])
	// OFA README: resnet50D_MAC@0.6B has 9.6M params and 75.0% top-1
	assert.Equal(t, "ref0", recs[1][0])
	assert.Equal(t, "75", recs[1][6])
	assert.Equal(t, "9619056", recs[1][4])
	assert.Contains(t, recs[1][7], "published")
}

func TestCatalogWithAccelAndPareto(t *testing.T) {
	out, _, err := runRoot(t, "catalog", "--supernet", "ofa-resnet50", "--sample", "40", "--seed", "3",
		"--accel", "zcu104", "--pareto", "--format", "json")
	require.NoError(t, err)
	var rows []catalogRow
	require.NoError(t, json.Unmarshal([]byte(out), &rows))
	require.NotEmpty(t, rows)
	assert.Less(t, len(rows), 40, "a frontier keeps fewer than all sampled SubNets")
	// on a frontier, more latency must buy more accuracy
	for i := range rows {
		for j := range rows {
			if *rows[j].LatencyMs < *rows[i].LatencyMs {
				assert.Less(t, rows[j].Accuracy, rows[i].Accuracy, "%s dominated by %s", rows[i].Name, rows[j].Name)
			}
		}
		assert.Equal(t, "model", rows[i].AccuracySource)
	}
}

func TestCatalogErrorsNameTheFlag(t *testing.T) {
	_, _, err := runRoot(t, "catalog", "--format", "xml")
	assert.ErrorContains(t, err, "--format")
	_, _, err = runRoot(t, "catalog", "--sample", "10", "--pareto")
	assert.ErrorContains(t, err, "--pareto")
	_, _, err = runRoot(t, "catalog", "--supernet", "ofa-vgg")
	assert.ErrorContains(t, err, "ofa-vgg")
}

func TestAccelBreakdownTotals(t *testing.T) {
	out, _, err := runRoot(t, "accel", "--preset", "zcu104", "--subnet", "ref0", "--format", "csv")
	require.NoError(t, err)
	recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	require.NoError(t, err)
	last := recs[len(recs)-1]
	assert.Equal(t, "total", last[0])
	// ref0 has 40 weight layers (39 convs + FC), one row each, plus header and total
	assert.Len(t, recs, 42)
	// integer columns: the total row is the sum of the layer rows, and MACs
	// and weight bytes are the catalog's for ref0
	cat, _, err := runRoot(t, "catalog", "--supernet", "ofa-resnet50", "--builtin", "reference", "--format", "csv")
	require.NoError(t, err)
	ref, err := csv.NewReader(strings.NewReader(cat)).ReadAll()
	require.NoError(t, err)
	require.Equal(t, "ref0", ref[1][0])
	col := func(head []string, name string) int {
		i := slices.Index(head, name)
		require.GreaterOrEqual(t, i, 0, name)
		return i
	}
	for _, name := range []string{"macs", "weight_bytes", "offchip_bytes", "onchip_bytes", "cycles"} {
		c := col(recs[0], name)
		var sum int64
		for _, r := range recs[1 : len(recs)-1] {
			v, err := strconv.ParseInt(r[c], 10, 64)
			require.NoError(t, err, name)
			sum += v
		}
		assert.Equal(t, strconv.FormatInt(sum, 10), last[c], name)
	}
	assert.Equal(t, ref[1][col(ref[0], "macs")], last[col(recs[0], "macs")])
	assert.Equal(t, ref[1][col(ref[0], "weight_bytes")], last[col(recs[0], "weight_bytes")])
	// A resident SubNet larger than the PB keeps its last layers that fit,
	// and says so: ref5's last layer alone (the FC, 2,048,000 B) fits 2 MiB.
	stdout, stderr, err := runRoot(t, "accel", "--subnet", "ref0", "--resident", "ref5", "--format", "csv")
	require.NoError(t, err)
	assert.Contains(t, stderr, "note: --resident ref5 holds")
	assert.Contains(t, stderr, "more than pb_bytes = 2097152")
	recs, err = csv.NewReader(strings.NewReader(stdout)).ReadAll()
	require.NoError(t, err)
	pbHit := col(recs[0], "pb_hit_bytes")
	assert.Equal(t, "1640000", recs[len(recs)-1][pbHit], "ref0 reads its 1000x1640 FC slice of the resident FC")
	_, _, err = runRoot(t, "accel", "--subnet", "ref0", "--resident", "ref9x")
	assert.ErrorContains(t, err, "--resident")
}
