#!/usr/bin/env bash
# Speed against peers, in one run: the M/M/k benchmark of docs/performance.md
# (lambda = 9, k = 10, mu = 1, so
# rho = 0.9; events = arrivals + departures) on sushisim's kernel, on simgo
# v0.5.0 (events and handlers; goroutine processes), on sushisim's simgo
# adapter (engine.SimgoKernel), and on SimPy 2 from Debian's python3-simpy
# when it is installed (INSTALL_SIMPY=1 installs it with apt-get). Each
# variant runs REPS times, round-robin, each run its own process; the table
# gives the median and the min-max of events/s and the ratio of sushisim's
# median to each.
#
#   scripts/bench.sh                 # N=1000000 customers, SimPy N=200000, REPS=3
#   N=200000 REPS=5 scripts/bench.sh
#
# Run it on a quiet machine: wall times swing +-20% when other work shares
# the cores.
set -euo pipefail
cd "$(dirname "$0")/.."

N=${N:-1000000}
SIMPY_N=${SIMPY_N:-200000}
REPS=${REPS:-3}
PY=/usr/bin/python3

if [ "${INSTALL_SIMPY:-0}" = 1 ] && ! "$PY" -c 'import SimPy.Simulation' 2>/dev/null; then
  apt-get install -y python3-simpy >/dev/null
fi
have_simpy=0
if [ -x "$PY" ] && "$PY" -c 'import SimPy.Simulation' 2>/dev/null; then have_simpy=1; fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/mmk" ./bench/mmk

variants=(sushisim sushisim-simgo simgo-events simgo-processes)
[ $have_simpy = 1 ] && variants+=(simpy2)

echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) CPUs; $(go version | cut -d' ' -f3); $(date -u +%Y-%m-%d)"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
for rep in $(seq "$REPS"); do
  for v in "${variants[@]}"; do
    if [ "$v" = simpy2 ]; then
      "$PY" bench/mmk/simpy2_mmk.py -n "$SIMPY_N" >>"$tmp/runs"
    else
      "$tmp/mmk" -variant "$v" -n "$N" >>"$tmp/runs"
    fi
  done
done
echo "load after:  $(cut -d' ' -f1-3 /proc/loadavg)"
[ $have_simpy = 1 ] || echo "(SimPy 2 not installed: apt-get install -y python3-simpy, or INSTALL_SIMPY=1)"

# one row per variant: median, min and max events/s over the reps, the
# statistics of its first run, and sushisim's median over its median
awk '
  { for (i = 1; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] }
    v = f["variant"]; n[v]++; eps[v, n[v]] = f["events_per_s"]
    if (n[v] == 1) { order[++nv] = v; N[v] = f["n"]; W[v] = f["mean_wait_s"]; A[v] = f["allocs_per_customer"]; R[v] = f["peak_rss_mib"] } }
  function median(v,   i, j, t, m, a) {
    m = n[v]; for (i = 1; i <= m; i++) a[i] = eps[v, i] + 0
    for (i = 1; i <= m; i++) for (j = i + 1; j <= m; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
    lo[v] = a[1]; hi[v] = a[m]
    return (m % 2) ? a[(m + 1) / 2] : (a[m / 2] + a[m / 2 + 1]) / 2 }
  END {
    for (i = 1; i <= nv; i++) med[order[i]] = median(order[i])
    printf "%-16s %9s %5s %12s %25s %10s %12s %9s %12s\n", "variant", "customers", "runs", "Mevents/s", "min-max", "sushisim/x", "mean_wait_s", "allocs/c", "peak_RSS_MiB"
    for (i = 1; i <= nv; i++) { v = order[i]
      printf "%-16s %9d %5d %12.3f %12.3f-%-12.3f %10.1f %12.6f %9s %12s\n", v, N[v], n[v], med[v] / 1e6, lo[v] / 1e6, hi[v] / 1e6, med["sushisim"] / med[v], W[v], A[v], R[v] }
    print "targets: sushisim >= 15 Mevents/s; >= 80x simgo-processes; >= 100x simpy2"
  }' "$tmp/runs"
