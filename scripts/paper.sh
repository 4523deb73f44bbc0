#!/bin/sh
# Runs the paper-style experiment set (experiments/paper/*.toml) into
# results/paper/<name>/, each with its figures, refreshes the figures that
# docs/paper.md shows (docs/paper/*.png) and the quickstart's figure that
# README.md shows (docs/quickstart.png), and reports the wall time.
# Usage: scripts/paper.sh [extra sushisim run flags, e.g. --workers 2]
set -eu
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/sushisim" ./cmd/sushisim
start=$(date +%s)
for f in experiments/paper/fig*.toml; do
	name=$(basename "$f" .toml)
	t0=$(date +%s)
	# this script owns results/paper/: each figure's folder is made anew
	rm -rf "results/paper/$name"
	if ! "$tmp/sushisim" run "$f" --out "results/paper/$name" --quiet "$@" > "$tmp/table.txt"; then
		cat "$tmp/table.txt"
		exit 1
	fi
	mv "$tmp/table.txt" "results/paper/$name/table.txt"
	echo "$name: $(( $(date +%s) - t0 )) s -> results/paper/$name/"
done
# the figures docs/paper.md shows: every PNG of every paper experiment
mkdir -p docs/paper
rm -f docs/paper/*.png
for f in experiments/paper/fig*.toml; do
	cp results/paper/"$(basename "$f" .toml)"/figures/*.png docs/paper/
done
# the quickstart's figure, which README.md shows
rm -rf results/paper/quickstart
"$tmp/sushisim" run experiments/quickstart.toml --out results/paper/quickstart --quiet > /dev/null
cp results/paper/quickstart/figures/policies.png docs/quickstart.png
echo "paper set: $(( $(date +%s) - start )) s"
