// Package plots draws sushisim's figures from result files (summary.csv and
// friends) with gonum/plot: PNG by default, SVG and PDF on request. It knows
// how figures look, not how results were made: it imports
// experiments/results only. Each kind of figure is one Register call
// (kind.go), which also teaches the experiment loader the kind's name and
// checks. Every figure has one style (style.go: palette, markers, fonts
// per width; ticks.go: round axes labelled exactly; labels.go: printed
// names), a legend above its panels and a caption line (layout.go), and
// Render also writes index.html, the page that shows a results directory.
// Labels stay ASCII, because gonum's PDF backend garbles other characters.
package plots
