package policies

import "github.com/sushisim/sushisim/models"

// ClusterView is what a router may ask about the instances. Every method is
// O(1) except ServiceNs, which is one selector scan of the catalog.
type ClusterView interface {
	Now() int64
	Instances() int
	// QueueLen is the number of queries at instance i: waiting plus in service.
	QueueLen(i int) int
	// BacklogNs is the predicted time until instance i could start one more
	// query: the rest of its current work plus the predicted service of
	// every query waiting there.
	BacklogNs(i int) int64
	// ServiceNs is the service time instance i would give need n now, with
	// the SubGraph resident there (the selector's choice on its SushiAbs row).
	ServiceNs(i int, n Need) int64
	// Resident is the SubGraph in instance i's persistent buffer.
	Resident(i int) models.SubGraph
}

// Router picks the instance a query joins.
type Router interface {
	Route(n Need, c ClusterView) int
}

// RoundRobin sends query k to instance k mod N: blind to load, the baseline.
type RoundRobin struct{ next int }

// Route implements Router.
func (r *RoundRobin) Route(_ Need, c ClusterView) int {
	i := r.next % c.Instances()
	r.next = i + 1
	return i
}

// JSQ joins the shortest queue (waiting + in service); ties go to the lowest
// index, so runs are deterministic. O(N) per query.
type JSQ struct{}

// Route implements Router.
func (JSQ) Route(_ Need, c ClusterView) int {
	best, bl := 0, c.QueueLen(0)
	for i := 1; i < c.Instances(); i++ {
		if l := c.QueueLen(i); l < bl {
			best, bl = i, l
		}
	}
	return best
}
