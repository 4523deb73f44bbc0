package models

import (
	"bytes"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCatalogCSVRoundTrip(t *testing.T) {
	net, subs := referenceNets(t)
	smp, err := SampleCatalog(net, 20, rand.New(rand.NewPCG(5, 5)))
	require.NoError(t, err)
	cat := &Catalog{Net: net, SubNets: append(subs, smp.SubNets...)}
	cat.SubNets[7].Accuracy, cat.SubNets[7].AccuracySource = 77.123456789, SourceMeasured
	path := filepath.Join(t.TempDir(), "cat.csv")
	require.NoError(t, cat.SaveCSV(path))
	back, err := LoadCatalogCSV(path)
	require.NoError(t, err)
	assert.Same(t, net, back.Net)
	require.Len(t, back.SubNets, len(cat.SubNets))
	for i, s := range cat.SubNets {
		b := back.SubNets[i]
		assert.Equal(t, s.Name, b.Name)
		assert.Equal(t, s.Config, b.Config)
		assert.Equal(t, s.Layers, b.Layers)
		assert.Equal(t, s.Accuracy, b.Accuracy)
		assert.Equal(t, s.AccuracySource, b.AccuracySource)
	}
	entries, err := os.ReadDir(filepath.Dir(path))
	require.NoError(t, err)
	assert.Len(t, entries, 1, "no temporary file left")
	var buf bytes.Buffer
	require.NoError(t, back.WriteCSV(&buf))
	first, _, _ := strings.Cut(buf.String(), "\n")
	assert.Equal(t, "name,supernet,config,accuracy,accuracy_source", first)
}

func TestCatalogCSVMinimalColumns(t *testing.T) {
	cfg := resnet50Reference[0].config
	other := "r176-d2,1,1,1,1-e" + list("0.25", 18) + "-w2,2,2,2,2,2"
	in := "config,accuracy,supernet\n" +
		`"` + cfg + `",,ofa-resnet50` + "\n" + // empty accuracy: published
		"\n" +
		`"` + other + `",,ofa-resnet50` + "\n" + // empty accuracy: model
		`"r224-d2,2,2,2,2-e` + list("0.35", 18) + `-w2,2,2,2,2,2",80.1,ofa-resnet50` + "\n"
	c, err := ReadCatalogCSV(strings.NewReader(in), "mine.csv")
	require.NoError(t, err)
	require.Len(t, c.SubNets, 3)
	assert.Equal(t, 75.0, c.SubNets[0].Accuracy)
	assert.Contains(t, c.SubNets[0].AccuracySource, "published: ")
	assert.Equal(t, SourceModel, c.SubNets[1].AccuracySource)
	assert.Equal(t, 80.1, c.SubNets[2].Accuracy)
	assert.Equal(t, SourceMeasured, c.SubNets[2].AccuracySource)
	assert.Equal(t, c.SubNets[2].Config, c.SubNets[2].Name, "name defaults to the config")
}

func TestCatalogCSVErrors(t *testing.T) {
	good := `"` + resnet50Reference[0].config + `"`
	good2 := `"` + resnet50Reference[1].config + `"`
	head := "supernet,config,accuracy,accuracy_source\n"
	cases := []struct{ in, want string }{
		{"", "cat.csv: empty, want a header row"},
		{head, "cat.csv: no SubNet rows after the header"},
		{"supernet,config\n", `cat.csv:1: missing column "accuracy"`},
		{"supernet,config,accuracy,latency\n", `cat.csv:1: column "latency" unknown (want name, supernet, config, accuracy, accuracy_source)`},
		{"supernet,config,config,accuracy\n", `cat.csv:1: column "config" given twice`},
		{head + "ofa-resnet50," + good + ",75,measured\nresnet18," + good2 + ",76,measured\n", `cat.csv:3: supernet: supernet "resnet18" unknown`},
		{head + "ofa-resnet50,\"r224-d2,1,1,5,1\",75,measured\n", "cat.csv:2: config: ofa-resnet50 config: "},
		{head + "ofa-resnet50," + good + ",abc,measured\n", `cat.csv:2: accuracy: "abc" is not a number`},
		{head + "ofa-resnet50," + good + ",101,measured\n", "cat.csv:2: accuracy: 101 outside 0..100"},
		{head + "ofa-resnet50," + good + ",-0.5,measured\n", "cat.csv:2: accuracy: -0.5 outside 0..100"},
		{head + "ofa-resnet50," + good + ",NaN,measured\n", "cat.csv:2: accuracy: NaN outside 0..100"},
		{head + "ofa-resnet50," + good + ",75,guessed\n", `cat.csv:2: accuracy_source: "guessed" is not measured, model or published`},
		{head + "ofa-resnet50," + good + ",,measured\n", "cat.csv:2: accuracy: empty with accuracy_source"},
		{head + "ofa-resnet50," + good + ",75\n", "cat.csv:2: 3 fields, want 4"},
		{head + "ofa-resnet50," + good + ",75,measured\nofa-mbv3-w1.0," + good2 + ",76,measured\n", "cat.csv:3: supernet: ofa-mbv3-w1.0, but earlier rows are ofa-resnet50"},
		{head + "ofa-resnet50," + good + ",75,measured\nofa-resnet50," + good + ",76,measured\n", "cat.csv:3: config: the same SubNet as line 2"},
		{head + "ofa-resnet50,\"unterminated,75\n", "cat.csv:2:"},
	}
	for _, c := range cases {
		_, err := ReadCatalogCSV(strings.NewReader(c.in), "cat.csv")
		if assert.Error(t, err, c.in) {
			assert.Contains(t, err.Error(), c.want, c.in)
		}
	}
	_, err := LoadCatalogCSV(filepath.Join(t.TempDir(), "missing.csv"))
	assert.ErrorContains(t, err, "missing.csv")
}

func TestLoadCatalogCSVRefusesDevices(t *testing.T) {
	_, err := LoadCatalogCSV("/dev/zero")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "not a regular file")
}

func TestCatalogCSVSyntaxErrorsArePositioned(t *testing.T) {
	_, err := ReadCatalogCSV(strings.NewReader("supernet,config,accuracy\nofa-resnet50,\"r160,75\n"), "c.csv")
	require.Error(t, err)
	assert.Regexp(t, `^c\.csv:2:\d+: `, err.Error())
}
