// Package experiments turns a TOML experiment file into results: strict
// loading and validation (every error names the key path and, where it can,
// the line), the plan of runs (one per [[policy]] on the same query stream
// and seed), running them on the engine, and writing result files (CSV and
// JSON, atomically).
//
// It knows how runs are made, not how figures look: plots reads what this
// package writes.
package experiments
