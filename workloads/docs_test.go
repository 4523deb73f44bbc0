package workloads

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/BurntSushi/toml"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Every TOML block in docs/workloads.md decodes into Config with no unknown
// key and validates; blocks whose files exist also build and run.
func TestDocsExamples(t *testing.T) {
	raw, err := os.ReadFile("../docs/workloads.md")
	require.NoError(t, err)
	blocks := regexp.MustCompile("(?s)```toml\n(.*?)```").FindAllStringSubmatch(string(raw), -1)
	require.GreaterOrEqual(t, len(blocks), 6)
	for i, b := range blocks {
		var doc struct {
			Workload Config `toml:"workload"`
		}
		md, err := toml.Decode(b[1], &doc)
		require.NoError(t, err, "block %d", i)
		require.Empty(t, md.Undecoded(), "block %d", i)
		c := doc.Workload
		// Fragments show one table; complete them the way a full file would.
		if len(c.Needs.Class) == 0 && c.Arrival.Trace.AccuracyColumn == "" {
			c.Needs = oneClass
		}
		if c.Queries == 0 && c.DurationS == 0 {
			c.Queries = 1000
		}
		require.NoError(t, c.Validate(), "block %d", i)
		path := c.Arrival.Trace.Path + c.Arrival.Azure.Path
		if path != "" {
			if _, err := os.Stat(filepath.Join("..", path)); err != nil {
				continue // the real dataset, not shipped
			}
		}
		s, err := New(c, rng(1), rng(2), "..")
		require.NoError(t, err, "block %d", i)
		var q Query
		assert.True(t, s.Next(&q), "block %d", i)
	}
}
