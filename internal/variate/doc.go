// Package variate draws random variates that math/rand/v2 lacks, without
// allocating: the workload generator and the synthetic accelerator draw one
// per query. (gonum's distuv.Gamma would do, but it builds a rand.Rand on
// every draw.)
package variate
