package plots

import (
	"fmt"
	"html/template"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"strconv"

	"github.com/sushisim/sushisim/experiments/results"
	"github.com/sushisim/sushisim/internal/atomicfile"
)

// IndexFile is the page that shows a results directory: its summary table
// and every figure, linked relatively, so the directory opens in a browser
// as it is, offline, without scripts.
const IndexFile = "index.html"

// indexRow is one (point, policy) of the summary table, averaged over its
// replications.
type indexRow struct {
	Params []string
	Policy string
	Runs   int
	Cells  []string
}

type indexFigure struct {
	Title, PNG string
	Width      int      // CSS pixels: 150 per inch, so a column figure is half a page one
	Others     []string // the same figure in other formats
}

type indexPage struct {
	Name    string
	Keys    []string
	Columns []string
	Rows    []indexRow
	Figures []indexFigure
}

// indexColumns are the table's columns: those that explain a policy
// comparison (latency, accuracy, where the weights came from, energy).
var indexColumns = []struct {
	head string
	get  func(*results.Summary) string
}{
	{"mean latency (ms)", func(s *results.Summary) string { return fixed(s.LatencyMsMean, 2) }},
	{"p99 latency (ms)", func(s *results.Summary) string { return fixed(s.LatencyMsP99, 2) }},
	{"SLO met", func(s *results.Summary) string { return fixed(s.SLOAttainment, 3) }},
	{"accuracy (% top-1)", func(s *results.Summary) string { return fixed(s.AccuracyMeanServed, 2) }},
	{"PB hit", func(s *results.Summary) string { return fixed(s.PBHitFraction, 3) }},
	{"off-chip MB/query", func(s *results.Summary) string { return fixed(s.OffchipBytesPerQuery/1e6, 2) }},
	{"reload MB/query", func(s *results.Summary) string { return fixed(s.ReloadBytesPerQuery/1e6, 3) }},
	{"energy mJ/query", func(s *results.Summary) string { return fixed(s.EnergyMJPerQuery, 3) }},
	{"off-chip mJ/query", func(s *results.Summary) string { return fixed(s.OffchipEnergyMJPerQ, 3) }},
}

func fixed(v float64, d int) string { return strconv.FormatFloat(v, 'f', d, 64) }

// WriteIndex writes dir/index.html for the results res read from dir and
// the figures figs drawn there (those with a PNG in dir/figures appear).
// The page is a pure function of its inputs: byte-identical across runs.
func WriteIndex(dir string, res *results.Results, figs []results.Figure) error {
	page := indexPage{Keys: res.Keys}
	if len(res.Rows) > 0 {
		page.Name = res.Rows[0].Summary.Experiment
	}
	for _, c := range indexColumns {
		page.Columns = append(page.Columns, c.head)
	}
	for _, g := range results.GroupRuns(res.Rows) {
		r := &res.Rows[g[0]]
		m := meanSummary(res, g)
		row := indexRow{Params: r.Params, Policy: r.Policy, Runs: len(g)}
		for _, c := range indexColumns {
			row.Cells = append(row.Cells, c.get(&m))
		}
		page.Rows = append(page.Rows, row)
	}
	figDir := filepath.Join(dir, results.FiguresDir)
	for _, f := range figs {
		png := filepath.Join(figDir, f.Name+".png")
		w, err := pngWidth(png)
		if err != nil {
			continue // not drawn as PNG
		}
		fi := indexFigure{Title: f.Title, PNG: results.FiguresDir + "/" + f.Name + ".png", Width: w * 150 / pngDPI}
		if fi.Title == "" {
			fi.Title = f.Name
		}
		for _, ext := range []string{"pdf", "svg"} {
			if _, err := os.Stat(filepath.Join(figDir, f.Name+"."+ext)); err == nil {
				fi.Others = append(fi.Others, results.FiguresDir+"/"+f.Name+"."+ext)
			}
		}
		page.Figures = append(page.Figures, fi)
	}
	path := filepath.Join(dir, IndexFile)
	err := atomicfile.Write(path, atomicfile.WriterFunc(func(w io.Writer) error {
		return indexTemplate.Execute(w, page)
	}))
	if err != nil {
		return fmt.Errorf("plots: %s: %w", path, err)
	}
	return nil
}

var indexTemplate = template.Must(template.New(IndexFile).Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>sushisim: {{.Name}}</title>
<style>
body { font-family: Helvetica, Arial, "Liberation Sans", sans-serif; margin: 2em auto; max-width: 75em; padding: 0 1em; color: #222; }
table { border-collapse: collapse; font-size: 0.85em; margin: 1em 0 2em; }
th, td { padding: 0.25em 0.6em; border-bottom: 1px solid #ddd; text-align: right; }
th { background: #f4f4f4; vertical-align: bottom; }
td.name, th.name { text-align: left; }
figure { margin: 1.5em 0; }
figure img { max-width: 100%; height: auto; border: 1px solid #eee; }
figcaption { font-size: 0.9em; color: #444; max-width: 60em; }
</style>
</head>
<body>
<h1>{{.Name}}</h1>
<p>Results in this directory: <a href="summary.csv">summary.csv</a> (one row per run), <a href="aggregate.csv">aggregate.csv</a> (mean and 95% CI per point and policy), <a href="experiment.toml">experiment.toml</a> (the experiment as run).</p>
<h2>Figures</h2>
{{range .Figures}}<figure>
<img src="{{.PNG}}" width="{{.Width}}" alt="{{.Title}}">
<figcaption><b>{{.Title}}</b>{{range .Others}} &middot; <a href="{{.}}">{{.}}</a>{{end}}</figcaption>
</figure>
{{else}}<p>No figures drawn as PNG.</p>
{{end}}<h2>Summary</h2>
<p>One row per point and policy, the mean over its runs.</p>
<table>
<tr>{{range .Keys}}<th class="name">{{.}}</th>{{end}}<th class="name">policy</th><th>runs</th>{{range .Columns}}<th>{{.}}</th>{{end}}</tr>
{{range .Rows}}<tr>{{range .Params}}<td class="name">{{.}}</td>{{end}}<td class="name">{{.Policy}}</td><td>{{.Runs}}</td>{{range .Cells}}<td>{{.}}</td>{{end}}</tr>
{{end}}</table>
</body>
</html>
`))

// pngWidth reads a PNG's width in pixels from its header.
func pngWidth(path string) (int, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	c, err := png.DecodeConfig(f)
	return c.Width, err
}
