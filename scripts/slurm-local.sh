#!/usr/bin/env bash
# End-to-end test of 'sushisim slurm' on a real Slurm: a single-node cluster
# (munged, slurmctld, slurmd) on 127.0.0.1 inside private network and PID
# namespaces runs a 4-task job array over a small sweep plus the merge job,
# and the merged results must be byte-identical to one 'sushisim run' of the
# same file. Then it loses part of one shard, checks that the merge job
# refuses and names that shard, re-runs the shard alone with the line the
# array script documents, and compares again. Exits non-zero on any
# difference or failure; stops the daemons it started, also on failure.
#
#   scripts/slurm-local.sh        (the sweep is scripts/slurm-sweep.toml)
#   SLURM_LOCAL_FILE=experiments/datacenter-hour.toml SLURM_LOCAL_TASKS=4 scripts/slurm-local.sh
#
# With SLURM_LOCAL_FILE (any experiment file) it runs step 1 only: the
# array of SLURM_LOCAL_TASKS tasks (default 4) and the merge, compared
# with the reference run; SLURM_LOCAL_REFERENCE=0 skips the reference and
# the comparison (a speed measurement), SLURM_LOCAL_CPUS sets the CPUs of
# each array task (default 1). Each task's log ends with its wall time and
# peak RSS (the "done" line).
#
# Needs root (namespaces; munged runs as user munge) and installs Slurm and
# munge from Debian's packages when they are missing. Environment:
# SLURM_LOCAL_TIMEOUT bounds each wait for jobs (s, default 240);
# SLURM_LOCAL_KEEP=1 keeps the work directory (it is kept on failure).
# docs/distributed.md describes what the run checks and why.
set -euo pipefail

say() { printf '== slurm-local: %s\n' "$*" >&2; }
die() { printf 'slurm-local: FAIL: %s\n' "$*" >&2; exit 1; }

if [ "${SUSHISIM_SLURM_STAGE:-}" != inner ]; then
  # ---- stage 1, on the host: install, build, the reference run ----
  [ "$(id -u)" = 0 ] || die "needs root (network and PID namespaces, munged as user munge)"
  ROOT=$(cd "$(dirname "$0")/.." && pwd)
  # step 2 below knows this sweep's plan: 8 tasks, experiment "slurm-local"
  SWEEP=$ROOT/scripts/slurm-sweep.toml
  if [ -n "${SLURM_LOCAL_FILE:-}" ]; then
    SWEEP=$(cd "$(dirname "$SLURM_LOCAL_FILE")" && pwd)/$(basename "$SLURM_LOCAL_FILE")
    [ -f "$SWEEP" ] || die "SLURM_LOCAL_FILE: no file $SLURM_LOCAL_FILE"
  fi

  missing=
  for c in slurmctld slurmd sbatch squeue scontrol sinfo munged unshare setpriv ip ss pgrep; do
    command -v "$c" >/dev/null || missing="$missing $c"
  done
  if [ -n "$missing" ]; then
    say "installing slurm and munge (missing:$missing)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    # slurm-wlm would pull ~40 plugin packages; these are enough
    apt-get install -y -qq --no-install-recommends slurmctld slurmd slurm-client munge iproute2 util-linux procps >/dev/null
  fi
  [ -f /etc/munge/munge.key ] || die "/etc/munge/munge.key is missing (the munge package makes it)"

  S=$(mktemp -d /tmp/sushisim-slurm.XXXXXX)
  cleanup() {
    local rc=$?
    if [ "${SLURM_LOCAL_KEEP:-}" = 1 ] || [ $rc != 0 ]; then say "work directory kept: $S"; else rm -rf "$S"; fi
    exit $rc
  }
  trap cleanup EXIT
  trap 'exit 130' INT TERM
  chmod 755 "$S"
  mkdir -p "$S"/{bin,etc,state,spool,log,munge}
  # munged refuses a key or socket directory that others can write
  cp /etc/munge/munge.key "$S/munge/"
  chown -R munge:munge "$S/munge" && chmod 755 "$S/munge" && chmod 600 "$S/munge/munge.key"

  say "building sushisim"
  (cd "$ROOT" && go build -o "$S/bin/sushisim" ./cmd/sushisim)
  if [ "${SLURM_LOCAL_REFERENCE:-1}" != 0 ]; then
    say "reference: one process runs the whole file"
    t=$SECONDS
    "$S/bin/sushisim" run "$SWEEP" --out "$S/single" --quiet >/dev/null
    say "reference done in $((SECONDS - t))s"
  fi

  # slurm.conf(5): one node on loopback, cores as the consumable resource
  # (cons_tres, CR_Core), no accounting, backfill with no batch delay
  cat >"$S/etc/slurm.conf" <<EOF
ClusterName=sushisim
SlurmctldHost=localhost
SlurmUser=root
AuthType=auth/munge
AuthInfo=socket=$S/munge/munge.socket.2
CommunicationParameters=NoCtldInAddrAny,NoInAddrAny
SlurmctldPort=6817
SlurmdPort=6818
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
MpiDefault=none
MailProg=/bin/true
ReturnToService=2
SlurmctldPidFile=$S/slurmctld.pid
SlurmdPidFile=$S/slurmd.pid
SlurmdSpoolDir=$S/spool
StateSaveLocation=$S/state
SchedulerType=sched/backfill
SchedulerParameters=batch_sched_delay=0
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
JobAcctGatherType=jobacct_gather/none
SlurmctldDebug=info
SlurmctldLogFile=$S/log/slurmctld.log
SlurmdDebug=info
SlurmdLogFile=$S/log/slurmd.log
NodeName=localhost NodeAddr=127.0.0.1 CPUs=$(nproc) State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF

  # A new network namespace keeps the daemons off every real interface; a
  # new PID namespace ends whatever is left in it when stage 2 exits, even
  # if it is killed (--kill-child).
  # In the background so that a signal to this script is handled at once.
  SUSHISIM_SLURM_STAGE=inner SUSHISIM_SLURM_DIR=$S SUSHISIM_SLURM_SWEEP=$SWEEP SUSHISIM_SLURM_ONLY1=${SLURM_LOCAL_FILE:+1} \
    unshare --net --pid --fork --kill-child --mount-proc bash "$0" &
  inner=$!
  stop_inner() {
    # unshare ignores INT and TERM while it waits: signal its child, stage
    # 2, which stops the daemons; KILL ends the whole PID namespace
    local c
    c=$(pgrep -P "$inner" || true)
    [ -z "$c" ] || kill -TERM "$c" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$inner" 2>/dev/null || break; sleep 0.1; done
    [ -z "$c" ] || kill -KILL "$c" 2>/dev/null || true
    wait "$inner" 2>/dev/null || true
    exit 130
  }
  trap stop_inner INT TERM
  wait $inner || die "the Slurm run failed (see above)"
  say "PASS in ${SECONDS}s"
  exit 0
fi

# ---- stage 2, inside the namespaces: the cluster, the jobs, the checks ----
S=$SUSHISIM_SLURM_DIR BIN=$SUSHISIM_SLURM_DIR/bin/sushisim SWEEP=$SUSHISIM_SLURM_SWEEP
R=$S/results TASKS=${SLURM_LOCAL_TASKS:-4} TIMEOUT=${SLURM_LOCAL_TIMEOUT:-240}
export SLURM_CONF=$S/etc/slurm.conf
pids=()
stop() {
  # the daemons this script started, by PID (TERM, then KILL after 5 s)
  local p
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do
    for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$p" 2>/dev/null || true
  done
}
trap stop EXIT
# PID 1 of a namespace gets no signal it has no handler for
trap 'exit 143' INT TERM
logs() { for f in "$S"/log/*.log "$R"/slurm/logs/*; do [ -f "$f" ] && { echo "--- $f"; tail -n 20 "$f"; }; done >&2; }
wait_for() { # SECONDS WHAT COMMAND...
  local until=$((SECONDS + $1)) what=$2
  shift 2
  until "$@" >/dev/null 2>&1; do
    [ $SECONDS -lt $until ] || { logs; die "timed out waiting for $what"; }
    sleep 0.1
  done
}
wait_queue() { # until no job is queued or running
  local until=$((SECONDS + TIMEOUT)) q
  while q=$(timeout 5 squeue -h -o '%i %T %r') && [ -n "$q" ]; do
    # afterok on a failed array leaves the merge job pending for ever
    case "$q" in *DependencyNeverSatisfied*) logs; die "an array task failed: $q" ;; esac
    [ $SECONDS -lt $until ] || { logs; die "jobs still queued after ${TIMEOUT}s: $q"; }
    sleep 0.2
  done
}
state() { # JOBID -> its JobState (no accounting: slurmctld keeps it for MinJobAge)
  scontrol -o show job "$1" | grep -o 'JobState=[A-Z_]*' | head -n 1 | cut -d= -f2
}
expect() { # STATE JOBID...
  local want=$1 id s
  shift
  for id in "$@"; do
    s=$(state "$id")
    echo "job $id: $s" >&2
    [ "$s" = "$want" ] || { logs; die "job $id is $s, not $want"; }
  done
}
compare() {
  # every file of the single run except timing (wall clock, not a result)
  # (figures and index.html included); the sharded directory also holds shards/ and slurm/
  local f diffs=0
  files() { (cd "$1" && find . -type f ! -name timing.csv ! -name '*.timing.json' \
    ! -path './shards/*' ! -path './slurm/*' | sort); }
  files "$S/single" >"$S/single.files"
  files "$R" >"$S/merged.files"
  diff "$S/single.files" "$S/merged.files" >&2 || diffs=1
  while IFS= read -r f; do
    cmp -s "$S/single/$f" "$R/$f" || { echo "differs: $f" >&2; diffs=$((diffs + 1)); }
  done <"$S/single.files"
  [ "$(wc -l <"$S/single.files")" -ge 8 ] || die "the single run wrote only $(wc -l <"$S/single.files") files"
  [ $diffs = 0 ] || die "$diffs differences between the merged results and the single run"
  say "$(wc -l <"$S/single.files") result files byte-identical to the single run"
}

# glibc's getaddrinfo(AI_ADDRCONFIG) ignores loopback, so slurmctld cannot
# resolve even 127.0.0.1 in a namespace that has only lo: give the namespace
# an isolated tap device that nothing uses (§3.5, obstacle 3).
ip link set lo up
ip tuntap add dev sstap0 mode tap
ip addr add 10.254.254.1/32 dev sstap0
ip link set sstap0 up

# setsid: the daemons must not share our process group (§3.5, obstacle 4)
setsid setpriv --reuid=munge --regid=munge --init-groups -- munged -F \
  --socket="$S/munge/munge.socket.2" --key-file="$S/munge/munge.key" --log-file="$S/munge/munged.log" \
  --pid-file="$S/munge/munged.pid" --seed-file="$S/munge/munged.seed" >"$S/log/munged.out" 2>&1 </dev/null &
pids+=($!)
wait_for 10 munged test -S "$S/munge/munge.socket.2"
setsid slurmctld -D -i -f "$SLURM_CONF" >"$S/log/slurmctld.out" 2>&1 </dev/null &
pids+=($!)
# scontrol blocks up to MessageTimeout while slurmctld is down (obstacle 5)
wait_for 30 slurmctld sh -c 'timeout 2 scontrol ping | grep -q "is UP"'
setsid slurmd -D -f "$SLURM_CONF" -N localhost >"$S/log/slurmd.out" 2>&1 </dev/null &
pids+=($!)
wait_for 30 "node idle" sh -c 'test "$(timeout 2 sinfo -h -o %T)" = idle'
say "cluster up in ${SECONDS}s (munged, slurmctld, slurmd: PIDs ${pids[*]})"
listen=$(ss -ltnH | awk '{print $4}' | sort -u | tr '\n' ' ')
case "$listen" in *0.0.0.0*|*'*:'*|*'[::]'*) die "a daemon listens on every address: $listen" ;; esac

# 1. the array and the merge job, submitted by sushisim slurm --submit
t=$SECONDS
"$BIN" slurm "$SWEEP" --tasks $TASKS --out "$R" --partition debug --time 10 --cpus "${SLURM_LOCAL_CPUS:-1}" --submit >"$S/submit.out"
cat "$S/submit.out" >&2
array=$(awk '$1 == "array" && $2 == "job" {print $3}' "$S/submit.out")
merge=$(awk '$1 == "merge" && $2 == "job" {print $3}' "$S/submit.out")
[ -n "$array" ] && [ -n "$merge" ] || die "no job ids in the output of sushisim slurm --submit"
wait_queue
say "array job $array ($TASKS tasks) and merge job $merge done in $((SECONDS - t))s"
expect COMPLETED $(seq 1 $TASKS | sed "s/^/${array}_/") "$merge"
grep -h 'msg=done' "$R"/slurm/logs/*_*.out | sed 's/^.*msg=done/task:/' >&2 || true
if [ "${SLURM_LOCAL_REFERENCE:-1}" = 0 ]; then
  say "no reference run: nothing to compare"
  exit 0
fi
compare
if [ -n "${SUSHISIM_SLURM_ONLY1:-}" ]; then
  exit 0 # step 2 knows the plan of scripts/slurm-sweep.toml only
fi

# 2. shard 3/4 (plan tasks 2 and 6: p0001-r00, p0003-r00) loses its second
# task, as if killed after saving the first: the merge job must refuse and
# name the shard; re-running the shard alone must run only the lost task.
t=$SECONDS
rm -f "$R/points/p0003-r00.json" "$R/points/p0003-r00.timing.json" "$R/shards/3-of-$TASKS.done"
refused=$(sbatch --parsable "$R/slurm/merge.sbatch")
wait_queue
expect FAILED "$refused"
grep -Eq "shard 3/$TASKS [a-z ]*\(p0003-r00\)" "$R/slurm/logs/sushisim-slurm-local-merge-$refused.out" ||
  { logs; die "the refused merge does not name shard 3/$TASKS and its task p0003-r00"; }
say "merge job $refused refused and named shard 3/$TASKS"
rerun=$(sed -n 's/^#   \(jid=.*--array=K .*\)$/\1/p' "$R/slurm/array.sbatch" | sed 's/--array=K/--array=3/')
[ -n "$rerun" ] || die "the array script does not document how to re-run a shard"
echo "+ $rerun" >&2
out=$(bash -c "$rerun; echo \$jid") # prints the merge job id, then the array's
rearray=$(echo "$out" | tail -n 1)
remerge=$(echo "$out" | head -n 1 | awk '{print $NF}')
wait_queue
expect COMPLETED "${rearray%%;*}_3" "$remerge"
grep -q 'ran=1 skipped=1' "$R"/slurm/logs/sushisim-slurm-local-"${rearray%%;*}"_3.out ||
  { logs; die "the re-run shard did not resume (want ran=1 skipped=1)"; }
say "shard 3/$TASKS re-run alone (1 task run, 1 kept) and merged in $((SECONDS - t))s"
compare
