package engine

import (
	"github.com/sushisim/sushisim/accel"
	"github.com/sushisim/sushisim/models"
	"github.com/sushisim/sushisim/workloads"
)

// Observer sees a run event by event, in simulated-time order: what a
// per-query trace or a time series needs. The engine calls it only when
// Spec.Observer is set; otherwise it costs one nil check per event. The
// pointers it receives are valid only during the call.
type Observer interface {
	// Arrived: q arrived and the router sent it to instance.
	Arrived(now Time, q *workloads.Query, instance int)
	// Dropped: admission control turned q away at instance.
	Dropped(now Time, q *workloads.Query, instance int)
	// Completed: q finished on instance, served by catalog SubNet subnet.
	// share is q's part of the service: bytes and energy of its batch
	// divided by the batch size (the whole cost without batching).
	Completed(now Time, q *workloads.Query, instance int, subnet int32, share *accel.Cost)
	// Reloaded: instance's persistent buffer now holds resident; cost is
	// what loading it cost (zero for a synthetic instance).
	Reloaded(now Time, instance int, resident models.SubGraph, cost *accel.Cost)
}
