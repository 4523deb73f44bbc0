package accel

import (
	"runtime"
	"sync"

	"github.com/sushisim/sushisim/models"
)

// Row is the Cost of every catalog SubNet for one resident SubGraph, indexed
// like the catalog. Rows a Table returns are shared: read them, never write.
type Row []Cost

// Table is SushiAbs: the Cost of every catalog SubNet given each candidate
// resident SubGraph, computed once. It is read-only after NewTable, so one
// Table can be shared by every accelerator instance and goroutine.
type Table struct {
	m       model
	batch   int64
	catalog []*models.SubNet
	plans   [][]tablePlan // per SubNet, per layer: the residency-independent part
	cands   []models.SubGraph
	rows    []Cost // len(cands) x len(catalog), row-major
	index   map[uint64][]int32
}

type tablePlan struct {
	layer models.Layer
	p     layerPlan
}

// NewTable precomputes a row for every candidate SubGraph and for the empty
// SubGraph, at h's batch size (h.Batch, 1 if unset). Duplicate candidates
// share one row. h is copied: changing it later does not change the table.
func NewTable(h *Hardware, catalog []*models.SubNet, candidates []models.SubGraph) *Table {
	t := &Table{
		m:       h.model(),
		batch:   int64(max(h.Batch, 1)),
		catalog: append([]*models.SubNet(nil), catalog...),
		index:   make(map[uint64][]int32, len(candidates)+1),
	}
	t.plans = make([][]tablePlan, len(catalog))
	for i, s := range catalog {
		n := len(s.Layers)
		ps := make([]tablePlan, n)
		for j, l := range s.Layers {
			ps[j] = tablePlan{layer: l, p: t.m.plan(l, t.batch, j == 0, j == n-1)}
		}
		t.plans[i] = ps
	}
	for _, g := range append([]models.SubGraph{{}}, candidates...) {
		k := hashSubGraph(g)
		if t.find(g, k) >= 0 {
			continue
		}
		t.index[k] = append(t.index[k], int32(len(t.cands)))
		t.cands = append(t.cands, g)
	}
	nc := len(catalog)
	t.rows = make([]Cost, len(t.cands)*nc)
	workers := min(runtime.GOMAXPROCS(0), len(t.cands))
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < len(t.cands); i += workers {
				t.fill(t.rows[i*nc:(i+1)*nc], t.cands[i])
			}
		}()
	}
	wg.Wait()
	return t
}

// Row is the cost of every catalog SubNet with resident in the PB: the
// precomputed row if resident equals a candidate (no allocation), else a row
// computed now in O(catalog x layers) and not stored.
func (t *Table) Row(resident models.SubGraph) Row {
	if i := t.find(resident, hashSubGraph(resident)); i >= 0 {
		return t.row(i)
	}
	return t.compute(resident)
}

// Has reports whether resident has a precomputed row.
func (t *Table) Has(resident models.SubGraph) bool {
	return t.find(resident, hashSubGraph(resident)) >= 0
}

// Catalog is the SubNets the rows are indexed by.
func (t *Table) Catalog() []*models.SubNet { return t.catalog }

// Rows is the number of precomputed rows (distinct candidates + the empty SubGraph).
func (t *Table) Rows() int { return len(t.cands) }

// Batch is the batch size every Cost in the table is for.
func (t *Table) Batch() int { return int(t.batch) }

// MemoryBytes estimates the table's own memory: the rows, the per-layer
// plans and the index (the candidate SubGraphs belong to the caller).
func (t *Table) MemoryBytes() int64 {
	const costSize, planSize, idxSize = 13 * 8, 8*8 + 8 + 28, 32
	var layers int64
	for _, p := range t.plans {
		layers += int64(len(p))
	}
	return int64(len(t.rows))*costSize + layers*planSize + int64(len(t.cands))*idxSize
}

// find is the index of g's precomputed row (h is hashSubGraph(g)), or -1.
func (t *Table) find(g models.SubGraph, h uint64) int {
	for _, i := range t.index[h] {
		if t.cands[i].Equal(g) {
			return int(i)
		}
	}
	return -1
}

// row is precomputed row i, shared.
func (t *Table) row(i int) Row {
	nc := len(t.catalog)
	return Row(t.rows[i*nc : (i+1)*nc : (i+1)*nc])
}

// compute is a new row for resident.
func (t *Table) compute(resident models.SubGraph) Row {
	r := make(Row, len(t.catalog))
	t.fill(r, resident)
	return r
}

func (t *Table) fill(r []Cost, resident models.SubGraph) {
	for i, ps := range t.plans {
		var a costSum
		for j := range ps {
			e := t.m.eval(&ps[j].p, resident.LayerWeights(ps[j].layer))
			a.add(&ps[j].p, &e)
		}
		r[i] = a.finish(&t.m)
	}
}

// hashSubGraph hashes the non-empty slices (FNV-1a, a word at a time, over
// id, K, C, R), so that SubGraphs Equal treats as the same hash the same.
func hashSubGraph(g models.SubGraph) uint64 {
	const prime = 1099511628211
	h := uint64(14695981039346656037)
	mix := func(v int32) {
		h ^= uint64(uint32(v))
		h *= prime
	}
	for i := 0; i < g.Len(); i++ {
		s := g.At(int32(i))
		if s.Empty() {
			continue
		}
		mix(int32(i))
		mix(s.K)
		mix(s.C)
		mix(s.R)
	}
	return h
}

// RowCache remembers the rows Table.Row computes for SubGraphs that are not
// precomputed candidates, so a policy that keeps returning to the same few
// SubGraphs (LRU, SGS at steady state) pays the O(catalog x layers) cost
// once. It belongs to one run (it is not safe for concurrent use) and holds
// at most capacity rows; when full it starts over, which keeps memory
// bounded and results identical (a row is a pure function of its SubGraph).
type RowCache struct {
	t        *Table
	capacity int
	size     int
	memo     map[uint64][]cachedRow
}

type cachedRow struct {
	g   models.SubGraph
	row Row
}

// NewRowCache returns an empty cache over t holding up to capacity rows.
func NewRowCache(t *Table, capacity int) *RowCache {
	return &RowCache{t: t, capacity: max(capacity, 1), memo: map[uint64][]cachedRow{}}
}

// Row is Table.Row, remembered.
func (c *RowCache) Row(resident models.SubGraph) Row {
	h := hashSubGraph(resident)
	if i := c.t.find(resident, h); i >= 0 {
		return c.t.row(i)
	}
	for _, e := range c.memo[h] {
		if e.g.Equal(resident) {
			return e.row
		}
	}
	if c.size >= c.capacity {
		clear(c.memo)
		c.size = 0
	}
	r := c.t.compute(resident)
	c.memo[h] = append(c.memo[h], cachedRow{g: resident, row: r})
	c.size++
	return r
}

// Table is the table the cache reads.
func (c *RowCache) Table() *Table { return c.t }
