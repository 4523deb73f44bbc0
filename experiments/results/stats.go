package results

import (
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// MeanCI95 is the mean of xs and the half-width of its 95% confidence
// interval, t(0.975, n-1) * s / sqrt(n) with s the sample standard
// deviation: the interval is mean ± half-width. One value has no interval
// (half-width 0); none has mean 0.
func MeanCI95(xs []float64) (mean, half float64) {
	n := len(xs)
	if n == 0 {
		return 0, 0
	}
	for _, x := range xs {
		mean += x
	}
	mean /= float64(n)
	if n == 1 {
		return mean, 0
	}
	var ss float64
	for _, x := range xs {
		d := x - mean
		ss += d * d
	}
	s := math.Sqrt(ss / float64(n-1))
	return mean, studentT975(n-1) * s / math.Sqrt(float64(n))
}

// studentT975 is the 0.975 quantile of Student's t distribution with df
// degrees of freedom (the two-sided 95% critical value).
func studentT975(df int) float64 {
	if df < 1 {
		return math.NaN()
	}
	return distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(df)}.Quantile(0.975)
}
