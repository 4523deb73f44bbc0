package engine

import (
	"hash/fnv"
	"math/rand/v2"
)

// Stream returns the random stream of one named subsystem ("arrivals",
// "needs", "router", "policy/3"...). Each subsystem draws from its own PCG
// stream seeded from the run seed and a hash of its name, so adding a draw
// to one subsystem never shifts the numbers another one sees.
func Stream(seed uint64, name string) *rand.Rand {
	h := fnv.New64a()
	h.Write([]byte(name))
	return rand.New(rand.NewPCG(seed, h.Sum64()))
}
