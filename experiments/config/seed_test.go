package config

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestReplicationSeeds(t *testing.T) {
	assert.Equal(t, uint64(42), ReplicationSeed(42, 0))
	seen := map[uint64]bool{}
	for r := range 1000 {
		s := ReplicationSeed(42, r)
		assert.False(t, seen[s], "replication %d repeats a seed", r)
		seen[s] = true
		assert.Equal(t, s, ReplicationSeed(42, r), "deterministic")
	}
	assert.NotEqual(t, ReplicationSeed(42, 1), ReplicationSeed(43, 1))
}
