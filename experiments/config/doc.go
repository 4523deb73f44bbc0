// Package config reads experiment files. Load checks a file strictly
// (unknown keys, wrong types, bad values, unknown policies and their
// parameters) and reports every problem at once, one line each,
// "FILE:LINE: key.path: what is wrong (what is allowed)". A [sweep] (grids
// and zipped lists over dotted keys, replications with derived seeds)
// becomes Points: plain values, each holding the resolved Settings of its
// runs and checked like the file itself.
//
// Start at schema.go (the tables), load.go (their checks), sweep.go
// (points and seeds), figure.go ([[figure]], whose kinds come from the
// registry in package results, filled by plots) and keylines.go (lines of
// keys, for messages).
//
// It knows what a file asks for, not how runs are made (package execute)
// or how result files look (package results).
package config
