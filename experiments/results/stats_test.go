package results

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
)

// Two-sided 95% critical values of Student's t, from any statistics table
// (e.g. NIST/SEMATECH e-Handbook, Table 1.4.2.8.1 "Critical values of the
// Student's t distribution", column 0.975).
func TestStudentT975MatchesPublishedTable(t *testing.T) {
	table := map[int]float64{1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 9: 2.262, 10: 2.228,
		20: 2.086, 30: 2.042, 60: 2.000, 100: 1.984}
	for df, want := range table {
		assert.InDelta(t, want, studentT975(df), 0.0006, "df=%d", df)
	}
	// large df tends to the normal quantile 1.95996
	assert.InDelta(t, 1.95996, studentT975(100000), 1e-4)
	// closed forms: df=1 is Cauchy, tan(pi(p-1/2)); df=2 is
	// (2p-1)/sqrt(2p(1-p)).
	p := 0.975
	assert.InDelta(t, math.Tan(math.Pi*(p-0.5)), studentT975(1), 1e-12)
	assert.InDelta(t, (2*p-1)/math.Sqrt(2*p*(1-p)), studentT975(2), 1e-12)
	assert.True(t, math.IsNaN(studentT975(0)))
}

func TestMeanCI95ByHand(t *testing.T) {
	// 2, 4, 6: mean 4, s = 2, half-width = t(0.975,2) * 2 / sqrt(3)
	m, h := MeanCI95([]float64{2, 4, 6})
	assert.Equal(t, 4.0, m)
	assert.InDelta(t, 4.302653*2/1.7320508, h, 1e-5)
	m, h = MeanCI95([]float64{5})
	assert.Equal(t, 5.0, m)
	assert.Equal(t, 0.0, h)
	m, h = MeanCI95(nil)
	assert.Equal(t, 0.0, m+h)
}
