package accel

import (
	"encoding/csv"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sushisim/sushisim/models"
)

const measuredHeader = "subnet,layer,K,C,R,S,H,W,stride,latency_s\n"

func TestReadMeasuredMatchesTheModel(t *testing.T) {
	cat := referenceCatalog(t)
	ms, err := ReadMeasuredFile(featherCSV, cat)
	require.NoError(t, err)
	// The file's first row: ref0's first layer, 24x3x3 on 160x160, stride 2.
	assert.Equal(t, 0, ms[0].SubNet)
	assert.Equal(t, "24x3x3@160/2", ms[0].Shape.Shape())
	assert.Equal(t, 0.000703027, ms[0].Sec)
	// By name or by index, with columns in any order and extra columns.
	src := "latency_s,note,R,stride,H,C,K,layer,subnet\n0.001,x,3,1,80,24,40,1,ref0\n0.002,y,3,2,160,3,24,0,0\n"
	ms, err = ReadMeasured(strings.NewReader(src), "m.csv", cat)
	require.NoError(t, err)
	require.Len(t, ms, 2)
	assert.Equal(t, 1, ms[0].Layer)
	assert.Equal(t, 0, ms[1].Layer)
}

// Bad files name the file, line and column, and say what is allowed.
func TestReadMeasuredErrors(t *testing.T) {
	cat := referenceCatalog(t)
	cases := []struct{ name, src, want string }{
		{"empty", "", "m.csv: empty file: want a header row"},
		{"missing column", "subnet,layer,K,C,R,H,stride\n", "m.csv:1: missing column(s) latency_s"},
		{"no rows", measuredHeader, "m.csv: no measurements after the header"},
		{"unknown subnet", measuredHeader + "ref9,0,24,3,3,3,160,160,2,0.001\n", `m.csv:2:1: subnet "ref9": must be a catalog SubNet (ref0,`},
		{"bad layer", measuredHeader + "0,x,24,3,3,3,160,160,2,0.001\n", `m.csv:2:3: layer "x": must be a whole number >= 0`},
		{"layer out of range", measuredHeader + "0,99,24,3,3,3,160,160,2,0.001\n", "m.csv:2:3: layer 99: ref0 has layers 0.."},
		{"wrong shape", measuredHeader + "0,0,32,3,3,3,160,160,2,0.001\n", "m.csv:2:3: layer 0 of ref0 is 24x3x3@160/2 in the model, the row says K=32"},
		{"not square", measuredHeader + "0,0,24,3,3,1,160,160,2,0.001\n", "m.csv:2:12: S = 1: the model's layers are square (R = 3)"},
		{"bad latency", measuredHeader + "0,0,24,3,3,3,160,160,2,-1\n", `m.csv:2:24: latency_s "-1": must be a positive number of seconds`},
		{"nan latency", measuredHeader + "0,0,24,3,3,3,160,160,2,NaN\n", `latency_s "NaN"`},
		{"duplicate", measuredHeader + "0,0,24,3,3,3,160,160,2,0.001\n0,0,24,3,3,3,160,160,2,0.001\n", "m.csv:3: SubNet ref0 layer 0 already measured on line 2"},
		{"short row", measuredHeader + "0,0,24\n", "m.csv: record on line 2: wrong number of fields"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ReadMeasured(strings.NewReader(c.src), "m.csv", cat)
			require.Error(t, err)
			assert.Contains(t, err.Error(), c.want)
		})
	}
	// Every bad row is reported, not just the first.
	src := measuredHeader + "0,0,24,3,3,3,160,160,2,-1\n0,1,40,24,3,3,80,80,1,0\n"
	_, err := ReadMeasured(strings.NewReader(src), "m.csv", cat)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "m.csv:2:")
	assert.Contains(t, err.Error(), "m.csv:3:")
}

// Padding = "array" moves the bytes the host printed for each call:
// weights and outputs with K padded to 16, inputs with C padded to 9
// (the file's weight_bytes_padded, output_buffer_entries and iact_bytes).
func TestPaddedBytesAreTheHostBuffers(t *testing.T) {
	cat := referenceCatalog(t)
	f, err := os.Open(featherCSV)
	require.NoError(t, err)
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	require.NoError(t, err)
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	h, err := Preset("zcu104-measured")
	require.NoError(t, err)
	num := func(r []string, c string) int64 {
		v, err := strconv.ParseInt(r[col[c]], 10, 64)
		require.NoError(t, err)
		return v
	}
	costs := map[int64][]LayerCost{}
	for _, r := range recs[1:] {
		sn, li := num(r, "subnet"), num(r, "layer")
		if costs[sn] == nil {
			costs[sn] = h.LayerCosts(cat[sn], models.SubGraph{})
		}
		l := costs[sn][li]
		assert.Equal(t, num(r, "weight_bytes_padded"), l.WeightDRAMBytes, "ref%d layer %d", sn, li)
		assert.Equal(t, num(r, "iact_bytes"), l.ActInDRAMBytes/l.InputPasses, "ref%d layer %d", sn, li)
		assert.Equal(t, num(r, "output_buffer_entries"), l.ActOutDRAMBytes, "ref%d layer %d", sn, li)
	}
}
