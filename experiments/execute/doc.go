// Package execute runs an experiment's plan: every replication of every
// point (a task), each [[policy]] of a task on the same query stream, on a
// pool of workers, one shard of the tasks (ShardOf is the rule) or only
// those not yet done (resume), saving each task as soon as it is done;
// Merge assembles task files (of one run or of shards) into the result
// files, byte-identical whatever the workers or shards. NewSlurmJob and
// K8sManifest write the batch jobs that run a sweep's shards on a cluster,
// from option structs. A [datacenter] file's tasks are its cells: each
// runs alone on its share of the instances and queries (cells.go), and
// Merge adds the cells back into the datacenter (datacenter.go).
//
// Start at execute.go (plan, options, shards), pool.go (workers), run.go
// (one run on the engine), observe.go (its trace and time series, as the
// engine's Observer), summarize.go (its summary row), merge.go, and
// shardjob.go, slurm.go, k8s.go (the batch jobs).
package execute
