package main

import (
	"bufio"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"

	"github.com/sushisim/sushisim/experiments/config"
	"github.com/sushisim/sushisim/experiments/execute"
)

// budgetShare is the part of the machine's available memory a run may plan
// to use by default: the rest is for the system and whatever else runs.
const budgetShare = 0.8

// memAvailable reads MemAvailable from /proc/meminfo, in bytes (0 when it
// cannot be read: then there is no default budget).
func memAvailable() float64 {
	f, err := os.Open("/proc/meminfo")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "MemAvailable:"); ok {
			fs := strings.Fields(rest)
			if len(fs) == 2 && fs[1] == "kB" {
				kb, err := strconv.ParseFloat(fs[0], 64)
				if err == nil {
					return kb * 1024
				}
			}
		}
	}
	return 0
}

var sizeRE = regexp.MustCompile(`^(?i)\s*([0-9][0-9.e+]*)\s*([kmgt]?)(i?b)?\s*$`)

// parseBytes reads a size: a number with an optional unit K, M, G or T
// (powers of 1024, with or without "B" or "iB").
func parseBytes(s string) (float64, error) {
	m := sizeRE.FindStringSubmatch(s)
	bad := fmt.Errorf("%q: want a positive size such as 512M, 8G or 8GiB", s)
	if m == nil {
		return 0, bad
	}
	v, err := strconv.ParseFloat(m[1], 64)
	if err != nil || !(v > 0) {
		return 0, bad
	}
	shift := strings.Index("KMGT", strings.ToUpper(m[2])) + 1
	if m[2] == "" {
		shift = 0
	}
	return v * float64(uint64(1)<<(10*shift)), nil
}

// memoryBudget is --max-memory, else budgetShare of the available memory
// (0: none known), and where it comes from.
func memoryBudget(maxMemory string) (float64, string, error) {
	if maxMemory != "" {
		b, err := parseBytes(maxMemory)
		if err != nil {
			return 0, "", fmt.Errorf("--max-memory %w", err)
		}
		return b, "--max-memory", nil
	}
	if avail := memAvailable(); avail > 0 {
		return budgetShare * avail, fmt.Sprintf("%.0f%% of the %s available in /proc/meminfo", 100*budgetShare, execute.Bytes(avail)), nil
	}
	return 0, "", nil
}

// overBudget refuses a plan whose estimated peak memory is above budget.
func overBudget(x *config.Experiment, c execute.Cost, budget float64, from string) error {
	if budget == 0 || c.MemoryBytes <= budget {
		return nil
	}
	return fmt.Errorf("%s: estimated peak memory %s is above the budget of %s (%s): lower queries, duration_s, instances, "+
		"the rate of an overloaded cluster, or --workers; or raise --max-memory, or pass --over-budget to 'run' to run anyway",
		x.Path, execute.Bytes(c.MemoryBytes), execute.Bytes(budget), from)
}
