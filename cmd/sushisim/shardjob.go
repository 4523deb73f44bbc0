package main

import (
	"fmt"
)

// shardJob is what the Slurm and Kubernetes jobs of one sweep share: N
// shards of the plan, each running 'sushisim run --shard K/N' on CPUs
// workers.
type shardJob struct {
	Experiment string // experiment name, for comments
	Name       string // job name: sushisim-<experiment>
	File       string // experiment file, as the jobs see it
	Out        string // results directory, as the jobs see it
	Tasks      int    // shards N
	PlanTasks  int    // tasks of the plan (points x replications)
	CPUs       int    // CPUs of each shard, and its workers
}

// check validates the shared fields that come from flags; errors name the flag.
func (s *shardJob) check() []error {
	var errs []error
	if s.Tasks < 1 {
		errs = append(errs, fmt.Errorf("--tasks %d: want at least 1", s.Tasks))
	}
	if s.CPUs < 1 {
		errs = append(errs, fmt.Errorf("--cpus %d: want at least 1", s.CPUs))
	}
	return errs
}

// runLine is the shell command a shard runs with binary; shard and workers
// are shell words (a number, or an expansion that gives one).
func (s *shardJob) runLine(binary, shard, workers string) string {
	return fmt.Sprintf("exec %s run %s --shard \"%s/%d\" --out %s --resume --workers %s",
		shellQuote(binary), shellQuote(s.File), shard, s.Tasks, shellQuote(s.Out), workers)
}
