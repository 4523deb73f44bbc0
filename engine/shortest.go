package engine

import "math/bits"

// shortestIndex keeps instances bucketed by queue length so that
// join-shortest-queue costs O(1) per query and per queue change instead of
// an O(N) scan (with 1,000 instances the scan is most of a query's cost)
// or an O(log N) heap sift. Queue lengths are small (mostly 0-2 under
// JSQ), so there are few buckets; each is a two-level bitset over instance
// ids, and the answer is the lowest set bit of the shortest non-empty
// bucket: the lowest index among ties, the same instance a scan picks.
//
// A bucket costs N/8 bytes plus a summary word per 4,096 instances, and
// buckets exist up to the longest queue seen: with JSQ keeping queues
// within a query or two of each other, that is at most about one bit per
// query in flight.
type shortestIndex struct {
	on     bool
	n      int
	length []int32 // per instance: the bucket it is in
	bucket []lengthBucket
	count  []int32 // instances per bucket
	least  int32   // the shortest non-empty bucket
}

// lengthBucket is a set of instance ids: bit i%64 of words[i/64], and bit
// w%64 of summary[w/64] set when words[w] is not zero.
type lengthBucket struct {
	words   []uint64
	summary []uint64
}

func (b *lengthBucket) add(id int32) {
	w := id >> 6
	b.words[w] |= 1 << (id & 63)
	b.summary[w>>6] |= 1 << (w & 63)
}

func (b *lengthBucket) remove(id int32) {
	w := id >> 6
	b.words[w] &^= 1 << (id & 63)
	if b.words[w] == 0 {
		b.summary[w>>6] &^= 1 << (w & 63)
	}
}

// lowest is the smallest id in a non-empty bucket.
func (b *lengthBucket) lowest() int {
	for s, sw := range b.summary {
		if sw != 0 {
			w := s<<6 + bits.TrailingZeros64(sw)
			return w<<6 + bits.TrailingZeros64(b.words[w])
		}
	}
	panic("engine: lowest of an empty queue-length bucket")
}

func (s *shortestIndex) build(inst []instance) {
	s.on = true
	s.n = len(inst)
	s.length = make([]int32, s.n)
	s.bucket, s.count = s.bucket[:0], s.count[:0]
	s.least = 0
	if s.n == 0 {
		return
	}
	s.least = int32(inst[0].qlen())
	for i := range inst {
		l := int32(inst[i].qlen())
		s.length[i] = l
		s.grow(l)
		s.bucket[l].add(int32(i))
		s.count[l]++
		s.least = min(s.least, l)
	}
}

// grow makes buckets up to length l.
func (s *shortestIndex) grow(l int32) {
	for int32(len(s.bucket)) <= l {
		words := (s.n + 63) / 64
		s.bucket = append(s.bucket, lengthBucket{
			words:   make([]uint64, words),
			summary: make([]uint64, (words+63)/64),
		})
		s.count = append(s.count, 0)
	}
}

// min is the instance with the shortest queue, lowest index among ties.
func (s *shortestIndex) min() int { return s.bucket[s.least].lowest() }

// update moves id to the bucket of its new queue length; a negative
// length takes it out of the index (an instance no router may pick: the
// autoscaler's powered-down ones), and a length again puts it back.
func (s *shortestIndex) update(id, length int32) {
	old := s.length[id]
	if length == old {
		return
	}
	if old >= 0 {
		s.bucket[old].remove(id)
		s.count[old]--
	}
	s.length[id] = length
	if length >= 0 {
		s.grow(length)
		s.bucket[length].add(id)
		s.count[length]++
		if length < s.least {
			s.least = length
		}
	}
	for s.least < int32(len(s.count))-1 && s.count[s.least] == 0 { // old was the last of the shortest
		s.least++
	}
}
