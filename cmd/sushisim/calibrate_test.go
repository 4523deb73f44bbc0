package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sushisim/sushisim/accel"
)

const featherCSV = "../../accel/testdata/feather-zcu104-3x3.csv"

// calibrate prints both tables, the errors, and an [accel] block that
// decodes into the checked-in zcu104-measured preset; --out writes it.
func TestCalibrateCommand(t *testing.T) {
	out := filepath.Join(t.TempDir(), "board.toml")
	stdout, _, err := runCLI(t, "calibrate", "--measured", featherCSV, "--preset", "zcu104", "--out", out)
	require.NoError(t, err)
	assert.Contains(t, stdout, "measured_ms")
	assert.Contains(t, stdout, "loso_err_%")
	assert.Contains(t, stdout, "leave-one-SubNet-out")
	// 108 layer rows + 6 SubNet rows, each naming its SubNet first.
	rows := 0
	for _, l := range strings.Split(stdout, "\n") {
		if f := strings.Fields(l); len(f) > 0 && strings.HasPrefix(f[0], "ref") {
			rows++
		}
	}
	assert.Equal(t, 108+6, rows)
	b, err := os.ReadFile(out)
	require.NoError(t, err)
	var doc struct {
		Accel toml.Primitive `toml:"accel"`
	}
	md, err := toml.Decode(string(b), &doc)
	require.NoError(t, err)
	h, _ := accel.Preset("zcu104")
	require.NoError(t, md.PrimitiveDecode(doc.Accel, &h))
	want, _ := accel.Preset("zcu104-measured")
	want.Preset = "zcu104"
	assert.Equal(t, want, h)

	// Bad input: the file's position, or the flag.
	bad := filepath.Join(t.TempDir(), "bad.csv")
	require.NoError(t, os.WriteFile(bad, []byte("subnet,layer,K,C,R,H,stride,latency_s\nref0,0,24,3,3,160,2,soon\n"), 0o644))
	_, _, err = runCLI(t, "calibrate", "--measured", bad)
	require.Error(t, err)
	assert.Contains(t, err.Error(), bad+`:2:21: latency_s "soon"`)
	_, _, err = runCLI(t, "calibrate", "--measured", featherCSV, "--fit", "clock_mhz")
	assert.ErrorContains(t, err, `"clock_mhz" cannot be fitted`)
	_, _, err = runCLI(t, "calibrate", "--measured", featherCSV, "--set", "weight_transfer=sometimes")
	assert.ErrorContains(t, err, `"sometimes": must be "overlapped" or "serialized"`)
	_, _, err = runCLI(t, "calibrate", "--measured", featherCSV, "--set", "warp=9")
	assert.ErrorContains(t, err, "--set: unknown [accel] key warp")
}

// accel --kernel 3 on the fitted preset gives the measured 3x3 latencies
// within the calibration's targets: each SubNet's sum within 5%.
func TestAccelKernelOnFittedPreset(t *testing.T) {
	measured := []float64{7.20, 9.93, 18.09, 24.56, 34.86, 35.63} // ms, FEATHER notebook sums
	for i, want := range measured {
		stdout, _, err := runCLI(t, "accel", "--preset", "zcu104-measured", "--subnet", "ref"+strconv.Itoa(i), "--kernel", "3", "--format", "csv")
		require.NoError(t, err)
		lines := strings.Split(strings.TrimSpace(stdout), "\n")
		total := strings.Split(lines[len(lines)-1], ",")
		require.Equal(t, "total", total[0])
		for _, l := range lines[1 : len(lines)-1] {
			assert.Contains(t, strings.Split(l, ",")[2], "x3@", "only 3x3 layers")
		}
		ms, err := strconv.ParseFloat(total[9], 64)
		require.NoError(t, err)
		assert.InEpsilon(t, want, ms, 0.05, "ref%d", i)
	}
}

// The examples of accel's and calibrate's --help run as written.
func TestHelpExamplesRun(t *testing.T) {
	for _, c := range root.Commands() {
		if c.Name() != "accel" && c.Name() != "calibrate" {
			continue
		}
		for _, ex := range strings.Split(c.Example, "\n") {
			args := strings.Fields(ex)
			require.Equal(t, "sushisim", args[0])
			for i, a := range args {
				args[i] = strings.Replace(a, "accel/testdata/", "../../accel/testdata/", 1)
			}
			_, _, err := runCLI(t, args[1:]...)
			assert.NoError(t, err, ex)
		}
	}
}
