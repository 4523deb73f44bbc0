package workloads

import "fmt"

// SplitConfig is [workload.split]: keep one of several disjoint parts of
// the query stream, for a cell (or a shard of instances) that simulates its
// share of a larger system. Every process, synthetic or replayed, is split
// by the same rule: the whole stream is generated exactly as without the
// split (same arrivals, same needs, the same stop rule, Query.ID = the
// index in the whole stream), then query k goes to one part, so the parts
// partition the stream and their union is the whole.
type SplitConfig struct {
	Parts int    `toml:"parts"` // number of parts (0 = no split)
	Part  int    `toml:"part"`  // the part kept, 0-based
	By    string `toml:"by"`    // "query" (default), "class" or "tenant"
}

// Split rules for split.by.
const (
	SplitByQuery  = "query"  // a hash of the query's index: thinning with probability 1/parts, independent of everything else
	SplitByClass  = "class"  // need class mod parts: each class's queries stay together
	SplitByTenant = "tenant" // tenant mod parts: each tenant's queries stay together
)

func (s *SplitConfig) validate(v *Problems, needs NeedsSource, classes int) {
	if *s == (SplitConfig{}) {
		return
	}
	if s.Parts < 1 {
		v.Add("split.parts", "must be >= 1 when [workload.split] is set, got %d", s.Parts)
	} else if s.Part < 0 || s.Part >= s.Parts {
		v.Add("split.part", "must be in [0,%d) (0-based, parts = %d), got %d", s.Parts, s.Parts, s.Part)
	}
	switch s.By {
	case "", SplitByQuery, SplitByTenant:
	case SplitByClass:
		if needs == NeedsFromArrivals {
			v.Add("split.by", "%q needs need classes; this workload's needs come from trace columns (class -1)", s.By)
		} else if s.Parts > classes && classes > 0 {
			// a part with no class would never get a query
			v.Add("split.parts", "by class, at most one part per need class (%d), got %d", classes, s.Parts)
		}
	default:
		v.Add("split.by", "unknown rule %q; known: %q, %q, %q", s.By, SplitByQuery, SplitByClass, SplitByTenant)
	}
}

// keeps reports whether q (query k of the whole stream) is in the part.
func (s *SplitConfig) keeps(q *Query) bool {
	if s.Parts <= 1 {
		return true
	}
	var key uint64
	switch s.By {
	case SplitByClass:
		key = uint64(q.Class)
	case SplitByTenant:
		key = uint64(q.Tenant)
	default:
		return int(mix64(uint64(q.ID))%uint64(s.Parts)) == s.Part
	}
	return int(key%uint64(s.Parts)) == s.Part
}

// mix64 is the SplitMix64 finalizer (Steele, Lea and Flood, OOPSLA 2014):
// neighbouring indices map to unrelated values, so part membership by
// query index is a fair 1/parts thinning with no random draw.
func mix64(z uint64) uint64 {
	z += 0x9e3779b97f4a7c15
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}

// String describes the split for errors and reports.
func (s SplitConfig) String() string {
	if s.Parts <= 1 {
		return "whole stream"
	}
	by := s.By
	if by == "" {
		by = SplitByQuery
	}
	return fmt.Sprintf("part %d of %d by %s", s.Part, s.Parts, by)
}
