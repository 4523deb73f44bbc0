package main

import "syscall"

// peakRSSMiB is the process's peak resident set so far, MiB (Linux
// reports getrusage's ru_maxrss in KiB): what one task of a Slurm array
// needs, logged when a run ends.
func peakRSSMiB() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return float64(ru.Maxrss) / 1024
}
