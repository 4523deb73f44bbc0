package engine

// shortestIndex is an indexed binary min-heap of instances ordered by
// (queue length, index), so that join-shortest-queue costs O(1) per query
// and O(log N) per queue change instead of an O(N) scan: with 1,000
// instances the scan is most of a query's cost. Each heap entry is one
// uint64, length<<32 | index, so that ordering is a single comparison and
// a sift touches only the heap array.
type shortestIndex struct {
	on   bool
	heap []uint64 // length<<32 | instance id
	pos  []int32  // pos[id] = place of id in heap
}

func shortestKey(length, id int32) uint64 { return uint64(length)<<32 | uint64(uint32(id)) }

func (s *shortestIndex) build(inst []instance) {
	n := len(inst)
	s.on = true
	s.heap = make([]uint64, n)
	s.pos = make([]int32, n)
	for i := range inst {
		s.heap[i], s.pos[i] = shortestKey(int32(inst[i].qlen()), int32(i)), int32(i)
	}
	for i := n/2 - 1; i >= 0; i-- {
		s.down(i)
	}
}

// min is the instance with the shortest queue, lowest index among ties.
func (s *shortestIndex) min() int { return int(uint32(s.heap[0])) }

// update sets id's queue length and restores the heap order.
func (s *shortestIndex) update(id, length int32) {
	i := int(s.pos[id])
	old := s.heap[i]
	k := shortestKey(length, id)
	if k == old {
		return
	}
	s.heap[i] = k
	if k < old {
		s.up(i)
	} else {
		s.down(i)
	}
}

func (s *shortestIndex) up(i int) {
	h := s.heap
	k := h[i]
	for i > 0 {
		p := (i - 1) / 2
		if h[p] <= k {
			break
		}
		h[i] = h[p]
		s.pos[uint32(h[i])] = int32(i)
		i = p
	}
	h[i] = k
	s.pos[uint32(k)] = int32(i)
}

func (s *shortestIndex) down(i int) {
	h := s.heap
	n := len(h)
	k := h[i]
	for {
		c := 2*i + 1
		if c >= n {
			break
		}
		if c+1 < n && h[c+1] < h[c] {
			c++
		}
		if h[c] >= k {
			break
		}
		h[i] = h[c]
		s.pos[uint32(h[i])] = int32(i)
		i = c
	}
	h[i] = k
	s.pos[uint32(k)] = int32(i)
}
