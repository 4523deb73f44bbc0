// Package badcorpus reads the bad-input corpus of testdata/bad/: each case
// X has X.want beside it, the lines its error must contain. The tests of
// the loaders and of 'sushisim validate' read the same expectations
// through it.
package badcorpus
