package models

import (
	"fmt"
	"math"
	"sort"
	"sync"
)

// Accuracy sources: every catalog entry's AccuracySource is "published: ..."
// (a citation), "measured" (a user's catalog file) or "model" (this file's
// fit).
const (
	SourceMeasured = "measured"
	SourceModel    = "model"
)

// AccuracyPoint is one published (MACs, top-1) point an accuracy model is
// fitted to.
type AccuracyPoint struct {
	Name   string  // the published net
	MACs   float64 // multiply-accumulates per image
	Top1   float64 // ImageNet top-1, percent
	Source string  // where the point comes from
}

// AccuracyModel predicts a SubNet's top-1 from its MACs: a least-squares
// polynomial in x = ln(MACs) (quadratic when that is increasing over the
// fitted range, else linear), held flat outside the range of its points, so
// it is monotone in MACs and never extrapolates.
type AccuracyModel struct {
	Net    string
	Points []AccuracyPoint
	// Coef: top-1 = Coef[0] + Coef[1] u + Coef[2] u^2, u = ln(MACs) - Center.
	Coef   [3]float64
	Center float64
	Degree int // 1 or 2
	// MinMACs..MaxMACs is the fitted range; predictions outside use its ends.
	MinMACs, MaxMACs float64
	// RMSE is the root mean square residual over Points, in top-1 points.
	RMSE float64
}

// Predict is the modelled top-1 of a SubNet of that many MACs.
func (m *AccuracyModel) Predict(macs int64) float64 {
	x := math.Log(math.Min(math.Max(float64(macs), m.MinMACs), m.MaxMACs)) - m.Center
	return math.Min(100, math.Max(0, m.Coef[0]+x*(m.Coef[1]+x*m.Coef[2])))
}

// FitAccuracy fits an AccuracyModel to points (at least three, with at
// least two distinct MACs).
func FitAccuracy(net string, points []AccuracyPoint) (*AccuracyModel, error) {
	if len(points) < 3 {
		return nil, fmt.Errorf("accuracy fit for %s: %d points, want at least 3", net, len(points))
	}
	m := &AccuracyModel{Net: net, Points: append([]AccuracyPoint(nil), points...), MinMACs: math.Inf(1)}
	for _, p := range points {
		if !(p.MACs > 0) || !(p.Top1 >= 0 && p.Top1 <= 100) {
			return nil, fmt.Errorf("accuracy fit for %s: point %q: MACs %g, top-1 %g (want MACs > 0, top-1 in 0..100)", net, p.Name, p.MACs, p.Top1)
		}
		m.Center += math.Log(p.MACs) / float64(len(points))
		m.MinMACs, m.MaxMACs = math.Min(m.MinMACs, p.MACs), math.Max(m.MaxMACs, p.MACs)
	}
	if m.MinMACs == m.MaxMACs {
		return nil, fmt.Errorf("accuracy fit for %s: every point has %g MACs", net, m.MinMACs)
	}
	lo, hi := math.Log(m.MinMACs)-m.Center, math.Log(m.MaxMACs)-m.Center
	if c, ok := polyFit(m.Points, m.Center, 2); ok && c[1]+2*c[2]*lo >= 0 && c[1]+2*c[2]*hi >= 0 {
		m.Coef, m.Degree = c, 2
	} else {
		c, _ := polyFit(m.Points, m.Center, 1)
		if c[1] < 0 { // accuracy falling with MACs: fit a constant
			c = [3]float64{0, 0, 0}
			for _, p := range points {
				c[0] += p.Top1 / float64(len(points))
			}
		}
		m.Coef, m.Degree = c, 1
	}
	var ss float64
	for _, p := range points {
		r := p.Top1 - m.Predict(int64(math.Round(p.MACs)))
		ss += r * r
	}
	m.RMSE = math.Sqrt(ss / float64(len(points)))
	return m, nil
}

// polyFit solves the least-squares normal equations for a polynomial of
// degree 1 or 2 in u = ln(MACs) - center.
func polyFit(points []AccuracyPoint, center float64, degree int) ([3]float64, bool) {
	n := degree + 1
	var a [3][4]float64
	for _, p := range points {
		u := math.Log(p.MACs) - center
		pow := [5]float64{1, u, u * u, u * u * u, u * u * u * u}
		for i := range n {
			for j := range n {
				a[i][j] += pow[i+j]
			}
			a[i][n] += pow[i] * p.Top1
		}
	}
	// Gaussian elimination with partial pivoting.
	for col := range n {
		piv := col
		for r := col + 1; r < n; r++ {
			if math.Abs(a[r][col]) > math.Abs(a[piv][col]) {
				piv = r
			}
		}
		if math.Abs(a[piv][col]) < 1e-12 {
			return [3]float64{}, false
		}
		a[col], a[piv] = a[piv], a[col]
		for r := range n {
			if r == col {
				continue
			}
			f := a[r][col] / a[col][col]
			for k := col; k <= n; k++ {
				a[r][k] -= f * a[col][k]
			}
		}
	}
	var c [3]float64
	for i := range n {
		c[i] = a[i][n] / a[i][i]
	}
	return c, true
}

// Published points the models are fitted to. The OFA README rows are
// specialized nets found by search; the small ones were fine-tuned after
// extraction (25 or 75 epochs, marked in their names), so the model
// predicts accuracy at that level. MACs are the README's, or ours where the
// net's config is known (the builtin reference catalogs).
const (
	garg2026 = "published: dhruvsgarg/once-for-all latency_curves_supernet_resnet_A40_with_stages_29apr26.json (weight-shared, no fine-tuning; MACs = its predicted MFLOPs)"
)

// resnet50ExtraPoints are published OFA-ResNet50 points whose configs are
// not known: two rows of the OFA README (mit-han-lab/once-for-all) and
// three weight-shared points of a 2026 A40 profile (dhruvsgarg/once-for-all;
// its smallest net is left out because its resolution is not stated).
var resnet50ExtraPoints = []AccuracyPoint{
	{"resnet50D_MAC@3.0B_top1@79.3", 3.0e9, 79.3, ofaReadmeSource + "resnet50D_MAC@3.0B_top1@79.3"},
	{"resnet50D_MAC@1.2B_top1@77.1_finetune@25", 1.2e9, 77.1, ofaReadmeSource + "resnet50D_MAC@1.2B_top1@77.1_finetune@25"},
	{"A40 profile id1", 1487.9e6, 76.686, garg2026},
	{"A40 profile id2", 1799.7e6, 77.636, garg2026},
	{"A40 profile id4", 3999.5e6, 79.44, garg2026},
}

// mbv3ReadmePoints are the OFA README's MobileNetV3-space specialized nets
// (mit-han-lab/once-for-all, including its LG G8, S7 Edge, Note8 and
// Pixel1 rows) whose configs are not known. The README does not say which width
// (1.0 or 1.2) each comes from, so both MBv3 SuperNets use all of them.
var mbv3ReadmePoints = []AccuracyPoint{
	{"flops@595M_top1@80.0_finetune@75", 595e6, 80.0, ""},
	{"flops@482M_top1@79.6_finetune@75", 482e6, 79.6, ""},
	{"flops@389M_top1@79.1_finetune@75", 389e6, 79.1, ""},
	{"LG-G8_lat@24ms_top1@76.4_finetune@25", 230e6, 76.4, ""},
	{"LG-G8_lat@16ms_top1@74.7_finetune@25", 151e6, 74.7, ""},
	{"LG-G8_lat@11ms_top1@73.0_finetune@25", 103e6, 73.0, ""},
	{"LG-G8_lat@8ms_top1@71.1_finetune@25", 74e6, 71.1, ""},
	{"s7edge_lat@88ms_top1@76.3_finetune@25", 219e6, 76.3, ""},
	{"s7edge_lat@58ms_top1@74.7_finetune@25", 145e6, 74.7, ""},
	{"s7edge_lat@41ms_top1@73.1_finetune@25", 96e6, 73.1, ""},
	{"s7edge_lat@29ms_top1@70.5_finetune@25", 66e6, 70.5, ""},
	{"note8_lat@65ms_top1@76.1_finetune@25", 220e6, 76.1, ""},
	{"note8_lat@49ms_top1@74.9_finetune@25", 164e6, 74.9, ""},
	{"note10_lat@64ms_top1@80.2_finetune@75", 743e6, 80.2, ""},
	{"note10_lat@50ms_top1@79.7_finetune@75", 554e6, 79.7, ""},
	{"note10_lat@41ms_top1@79.3_finetune@75", 457e6, 79.3, ""},
	{"note10_lat@30ms_top1@78.4_finetune@75", 339e6, 78.4, ""},
	{"note10_lat@22ms_top1@76.6_finetune@25", 237e6, 76.6, ""},
	{"note10_lat@16ms_top1@75.5_finetune@25", 163e6, 75.5, ""},
	{"note10_lat@11ms_top1@73.6_finetune@25", 110e6, 73.6, ""},
	{"note10_lat@8ms_top1@71.4_finetune@25", 79e6, 71.4, ""},
	{"pixel1_lat@143ms_top1@80.1_finetune@75", 642e6, 80.1, ""},
	{"pixel1_lat@132ms_top1@79.8_finetune@75", 593e6, 79.8, ""},
	{"pixel1_lat@79ms_top1@78.7_finetune@75", 356e6, 78.7, ""},
	{"pixel1_lat@58ms_top1@76.9_finetune@75", 230e6, 76.9, ""},
	{"pixel1_lat@40ms_top1@74.9_finetune@25", 162e6, 74.9, ""},
	{"pixel1_lat@28ms_top1@73.3_finetune@25", 109e6, 73.3, ""},
}

// mbv3Points are the published points of an MBv3 SuperNet besides its
// builtin catalogs: the README's nets, and for w1.2 also w1.0's reference
// nets at the README's MACs (the README does not say which width each
// comes from).
func mbv3Points(w12 bool) []AccuracyPoint {
	var pts []AccuracyPoint
	for _, p := range mbv3ReadmePoints {
		p.Source = ofaReadmeSource + p.Name
		pts = append(pts, p)
	}
	if w12 {
		for _, e := range mbv3W10Reference {
			pts = append(pts, AccuracyPoint{Name: e.name, MACs: e.macs, Top1: e.accuracy, Source: ofaReadmeSource + e.source})
		}
	}
	return pts
}

// accuracyPoints lists a SuperNet's published points: its builtin
// catalogs' SubNets (exact MACs), then the extra points.
func accuracyPoints(net *SuperNet) ([]AccuracyPoint, error) {
	var pts []AccuracyPoint
	for _, name := range BuiltinCatalogNames(net) {
		subs, err := BuiltinCatalog(net, name)
		if err != nil {
			return nil, err
		}
		for _, s := range subs {
			pts = append(pts, AccuracyPoint{Name: s.Name, MACs: float64(s.MACs()), Top1: s.Accuracy, Source: s.AccuracySource})
		}
	}
	if r := registrationOf(net); r != nil {
		pts = append(pts, r.points...)
	}
	sort.SliceStable(pts, func(i, j int) bool { return pts[i].MACs < pts[j].MACs })
	return pts, nil
}

var (
	fitMu    sync.Mutex
	fits     = map[*SuperNet]*AccuracyModel{}
	pubMu    sync.Mutex
	pubIndex = map[*SuperNet]map[string]*SubNet{}
)

// AccuracyFit returns the accuracy model of net, fitted once to its
// published points; its Points and RMSE say what it rests on and how well
// it fits them.
func AccuracyFit(net *SuperNet) (*AccuracyModel, error) {
	fitMu.Lock()
	defer fitMu.Unlock()
	if m, ok := fits[net]; ok {
		return m, nil
	}
	pts, err := accuracyPoints(net)
	if err != nil {
		return nil, err
	}
	m, err := FitAccuracy(net.Name, pts)
	if err != nil {
		return nil, err
	}
	fits[net] = m
	return m, nil
}

// publishedSubNets indexes net's builtin catalog SubNets by canonical
// config.
func publishedSubNets(net *SuperNet) map[string]*SubNet {
	pubMu.Lock()
	defer pubMu.Unlock()
	if idx, ok := pubIndex[net]; ok {
		return idx
	}
	idx := map[string]*SubNet{}
	for _, name := range BuiltinCatalogNames(net) {
		subs, err := BuiltinCatalog(net, name)
		if err != nil {
			continue // builtin configs are tested to build
		}
		for _, s := range subs {
			idx[s.Config] = s
		}
	}
	pubIndex[net] = idx
	return idx
}

// EstimateAccuracy is a SubNet's top-1 and its source: the published
// accuracy if its config is a published net's, else the fitted model's
// prediction ("model"). A SuperNet with no fit gives 0 and "".
func EstimateAccuracy(s *SubNet) (float64, string) {
	if p, ok := publishedSubNets(s.Net)[s.Config]; ok {
		return p.Accuracy, p.AccuracySource
	}
	m, err := AccuracyFit(s.Net)
	if err != nil {
		return 0, ""
	}
	return m.Predict(s.MACs()), SourceModel
}
