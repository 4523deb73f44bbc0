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
	if ! "$tmp/sushisim" run "$f" --out "results/paper/$name" --quiet "$@" > "$tmp/table.txt"; then
		cat "$tmp/table.txt"
		exit 1
	fi
	mv "$tmp/table.txt" "results/paper/$name/table.txt"
	echo "$name: $(( $(date +%s) - t0 )) s -> results/paper/$name/"
done
# the figures docs/paper.md shows
mkdir -p docs/paper
rm -f docs/paper/*.png
for png in \
	fig1_latency_vs_pb/figures/fig1_latency_saving.png \
	fig2_accuracy_vs_slo/figures/fig2_accuracy_vs_slo.png \
	fig2_accuracy_vs_slo/figures/fig2_accuracy_gain.png \
	fig3_offchip_energy_vs_pb/figures/fig3_offchip_energy_saving.png \
	fig3_offchip_energy_vs_pb/figures/fig3_energy_breakdown.png \
	fig4_policies_vs_locality/figures/fig4_pb_hit.png \
	fig5_datacenter_routers/figures/fig5_p99_vs_load.png; do
	cp "results/paper/$png" docs/paper/
done
# the quickstart's figure, which README.md shows
"$tmp/sushisim" run experiments/quickstart.toml --out results/quickstart --quiet > /dev/null
cp results/quickstart/figures/policies.png docs/quickstart.png
echo "paper set: $(( $(date +%s) - start )) s"
