#!/usr/bin/env bash
# popcode slurm on a real Slurm cluster: brings up a single-node cluster of its own on this
# machine (munged, slurmctld, slurmd under a temporary folder; Debian's packages installed when
# missing), then
#   1. submits a 2 seeds x 2 sigmas sweep with `popcode slurm --submit` (MaxArraySize=3, so it
#      is split into two arrays) and checks each metrics.json against the same sweep run
#      locally with `popcode run` (timing and environment aside), the task logs, and the
#      comparison written by the follow-up job; submitting again then submits nothing;
#   2. submits the sweep into a second runs folder with the partition down, cancels one task
#      (scancel), lets the rest run, submits again and checks that only the missing run ran.
# Every wait is bounded; the daemons it started are stopped by pid on exit.
# Needs root (daemons, apt-get). Usage: scripts/slurm-test.sh   (POPCODE=path to test a binary)
# KEEP=1 keeps the temporary folder. Prints "N passed, N failed"; exits 1 on any failure.
set -uo pipefail
cd "$(dirname "$0")/.."
started=$SECONDS
passed=0
failed=0

say() { echo "slurm-test: $*"; }
die() { say "error: $*" >&2; exit 1; }
check() { # check DESCRIPTION COMMAND...: runs the command, counts and prints the outcome
  local what=$1; shift
  if "$@"; then passed=$((passed + 1)); echo "  ok    $what"
  else failed=$((failed + 1)); echo "  FAIL  $what"; fi
}

[ "$(id -u)" -eq 0 ] || die "needs root (it installs packages and starts the Slurm daemons)"

# --- what it needs --------------------------------------------------------------------------
need=()
command -v slurmctld >/dev/null || need+=(slurmctld)
command -v slurmd >/dev/null || need+=(slurmd)
command -v sbatch >/dev/null || need+=(slurm-client)
command -v munged >/dev/null || need+=(munge)
command -v python3 >/dev/null || need+=(python3)
if [ ${#need[@]} -gt 0 ]; then
  say "installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq || die "apt-get update failed"
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null || die "apt-get install ${need[*]} failed"
fi
if [ ! -s /etc/munge/munge.key ]; then
  runuser -u munge -- mungekey --create --keyfile=/etc/munge/munge.key || die "cannot create the munge key"
fi
if [ -n "${POPCODE:-}" ]; then
  popcode=$(readlink -f "$POPCODE")
else
  bash scripts/setup.sh || die "scripts/setup.sh failed"
  say "building popcode (release)"
  swift build -c release --product popcode >/dev/null || die "swift build -c release failed"
  popcode=$(readlink -f .build/release/popcode)
fi
[ -x "$popcode" ] || die "no popcode executable at $popcode"

# --- the cluster ----------------------------------------------------------------------------
work=$(mktemp -d /tmp/popcode-slurm-test.XXXXXX) || die "mktemp failed"
chmod 755 "$work"                      # munged (user munge) must reach its socket below it
base=$work/cluster
mkdir -p "$base"/{state/ctld,state/d,run,log,munge}
chown munge:munge "$base/munge"
pids=()                                # daemons this script started, stopped in reverse order

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  if [ -n "${SLURM_CONF:-}" ] && [ ${#pids[@]} -gt 0 ]; then
    local left
    left=$(timeout 10 squeue -h -o %A 2>/dev/null | sort -u)
    if [ -n "$left" ]; then
      timeout 10 scancel $left 2>/dev/null
      for _ in $(seq 1 100); do [ -z "$(timeout 5 squeue -h 2>/dev/null)" ] && break; sleep 0.1; done
    fi
  fi
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
    local pid=${pids[i]}
    kill -TERM "$pid" 2>/dev/null || continue
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then say "pid $pid did not stop, sending KILL"; kill -KILL "$pid" 2>/dev/null; fi
  done
  if [ "$status" -eq 0 ] && [ "${KEEP:-0}" != 1 ]; then rm -rf "$work"; else say "files kept in $work"; fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# started DAEMON PIDFILE: records the pid the daemon wrote (within 10 s)
started() {
  for _ in $(seq 1 100); do
    if [ -s "$2" ]; then pids+=("$(cat "$2")"); return 0; fi
    sleep 0.1
  done
  die "$1 did not start (no $2); see $base/log"
}

host=$(hostname -s)
memory=$(free -m | awk '/^Mem:/ { print int($2 / 2) }')
cat > "$base/slurm.conf" <<CONF
ClusterName=popcodetest
SlurmctldHost=${host}(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$base/munge/munge.socket
MpiDefault=none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/filetxt
JobCompLoc=$base/log/jobcomp.txt
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
MailProg=/bin/true
SlurmctldPort=17817
SlurmdPort=17818
StateSaveLocation=$base/state/ctld
SlurmdSpoolDir=$base/state/d
SlurmctldPidFile=$base/run/slurmctld.pid
SlurmdPidFile=$base/run/slurmd.pid
SlurmctldLogFile=$base/log/slurmctld.log
SlurmdLogFile=$base/log/slurmd.log
SchedulerParameters=sched_min_interval=0,batch_sched_delay=0
MaxArraySize=3
NodeName=$host NodeAddr=127.0.0.1 CPUs=$(nproc) RealMemory=$memory State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF=$base/slurm.conf

say "starting munged, slurmctld and slurmd under $base"
cluster_started=$SECONDS
socket=$base/munge/munge.socket
runuser -u munge -- /usr/sbin/munged --socket="$socket" --pid-file="$base/munge/munged.pid" \
  --log-file="$base/munge/munged.log" --seed-file="$base/munge/munged.seed" || die "munged did not start"
started munged "$base/munge/munged.pid"
for _ in $(seq 1 50); do munge -S "$socket" -n </dev/null | unmunge -S "$socket" >/dev/null 2>&1 && break; sleep 0.1; done
/usr/sbin/slurmctld || die "slurmctld did not start; see $base/log/slurmctld.log"
started slurmctld "$base/run/slurmctld.pid"
for _ in $(seq 1 100); do timeout 5 scontrol ping 2>/dev/null | grep -q UP && break; sleep 0.1; done
/usr/sbin/slurmd || die "slurmd did not start; see $base/log/slurmd.log"
started slurmd "$base/run/slurmd.pid"
idle=0
for _ in $(seq 1 300); do
  [ "$(timeout 5 sinfo -h -N -o %T 2>/dev/null)" = idle ] && { idle=1; break; }
  sleep 0.1
done
[ "$idle" = 1 ] || { timeout 5 sinfo -N -l; tail -n 20 "$base/log/slurmctld.log" "$base/log/slurmd.log"; die "the node never became idle"; }
say "cluster up in $((SECONDS - cluster_started)) s"

# --- helpers --------------------------------------------------------------------------------
# wait_jobs ID...: until none of the jobs is queued or running (at most 120 s)
wait_jobs() {
  local list
  list=$(IFS=,; echo "$*")
  for _ in $(seq 1 1200); do
    [ -z "$(timeout 5 squeue -h -j "$list" 2>/dev/null)" ] && return 0
    sleep 0.1
  done
  say "jobs $list still queued after 120 s:"; timeout 5 squeue; return 1
}
# same_metrics A B: the two metrics.json are equal, timing and environment aside
same_metrics() {
  python3 - "$1" "$2" <<'PY'
import json, sys
a, b = (json.load(open(path)) for path in sys.argv[1:3])
for doc in (a, b):
    doc.pop("timing", None)
    doc.pop("environment", None)
sys.exit(0 if a == b else 1)
PY
}
# all_same_as_local RUNS_DIR: each local run's metrics.json has an equal twin in RUNS_DIR
all_same_as_local() {
  local count=0 file
  for file in "$work"/local/slurmtest/*/metrics.json; do
    same_metrics "$file" "$1/slurmtest/$(basename "$(dirname "$file")")/metrics.json" || return 1
    count=$((count + 1))
  done
  [ "$count" -eq 4 ]
}
count_metrics() { find "$1/slurmtest" -mindepth 2 -maxdepth 2 -name metrics.json | wc -l; }
csv_rows() { [ -f "$1" ] && [ "$(wc -l < "$1")" -eq $(($2 + 1)) ]; }
has() { grep -q -- "$2" "$1" 2>/dev/null; }
job_state() { grep -o "JobId=$1 .*JobState=[A-Z_]*" "$base/log/jobcomp.txt" | sed 's/.*JobState=//' | tail -n 1; }
submitted_ids() { awk '/^submitted /{ print $2 }' "$1"; }

cat > "$work/sweep.yaml" <<'YAML'
name: slurmtest
description: 2 seeds x 2 sigmas, tiny, for the Slurm test
seed: [0, 1]
sigma: [0.2, 0.3]
epochs: 5
n_train: 64
n_test: 32
n_hidden: 12
n_implicit: 2
n_enc_hidden: 8
batch_size: 16
YAML

say "the sweep locally (popcode run)"
timeout 300 "$popcode" run "$work/sweep.yaml" --runs-dir "$work/local" --jobs 2 --quiet >/dev/null \
  || die "popcode run failed"

# --- 1. the whole sweep ---------------------------------------------------------------------
say "1. popcode slurm --submit, the whole sweep"
runs=$work/runs1
timeout 120 "$popcode" slurm "$work/sweep.yaml" --runs-dir "$runs" --max-parallel 2 --time 00:05:00 --submit \
  > "$work/submit1.txt" 2>&1
status=$?
check "popcode slurm --submit exits 0" test "$status" -eq 0
sed 's/^/        /' "$work/submit1.txt"
mapfile -t ids < <(submitted_ids "$work/submit1.txt")
check "it split the sweep over MaxArraySize=3 into 2 arrays and a follow-up (3 jobs)" test ${#ids[@]} -eq 3
check "it read MaxArraySize from scontrol show config" has "$work/submit1.txt" "as 2 job arrays (MaxArraySize 3, from scontrol show config)"
slurm=$runs/slurmtest/slurm
check "sweep-1.sbatch: --array=0-2%2, task T trains run 0 + T" \
  bash -c "grep -qx '#SBATCH --array=0-2%2' '$slurm/sweep-1.sbatch' && grep -q -- '--index \"\$((0 + SLURM_ARRAY_TASK_ID))\"' '$slurm/sweep-1.sbatch'"
check "sweep-2.sbatch: --array=0%2, task T trains run 3 + T" \
  bash -c "grep -qx '#SBATCH --array=0%2' '$slurm/sweep-2.sbatch' && grep -q -- '--index \"\$((3 + SLURM_ARRAY_TASK_ID))\"' '$slurm/sweep-2.sbatch'"
check "the second array waits for the first (max-parallel holds across arrays)" \
  has "$work/submit1.txt" "sweep-2.sbatch --array=0%2 --dependency=afterany:${ids[0]:-x} "
check "the follow-up depends on both arrays" has "$work/submit1.txt" "compare.sbatch --dependency=afterany:${ids[0]:-x}:${ids[1]:-x} "
wait_jobs "${ids[@]}"
check "every job ended within 120 s" test $? -eq 0
check "one metrics.json per run (4)" test "$(count_metrics "$runs")" -eq 4
check "each equals the local run's (timing and environment aside)" all_same_as_local "$runs"
check "task logs name the runs they trained: ${ids[0]:-x}_0..2 ran runs 0..2, ${ids[1]:-x}_0 ran run 3" bash -c "
  grep -q 'popcode: run 0 ' '$slurm/${ids[0]:-x}_0.out' && grep -q 'popcode: run 1 ' '$slurm/${ids[0]:-x}_1.out' &&
  grep -q 'popcode: run 2 ' '$slurm/${ids[0]:-x}_2.out' && grep -q 'popcode: run 3 ' '$slurm/${ids[1]:-x}_0.out'"
check "every task and the follow-up ended COMPLETED (jobcomp)" bash -c "
  ! grep -E 'Name=popcode-slurmtest' '$base/log/jobcomp.txt' | grep -v 'JobState=COMPLETED' | grep -q . &&
  [ \$(grep -c 'Name=popcode-slurmtest ' '$base/log/jobcomp.txt') -eq 4 ]"
check "the follow-up wrote comparison.md/.csv/.json with all 4 runs" bash -c "
  [ -s '$runs/slurmtest/comparison.md' ] && [ -s '$runs/slurmtest/comparison.json' ] &&
  [ \$(wc -l < '$runs/slurmtest/comparison.csv') -eq 5 ] && grep -q 'all 4 runs completed' '$slurm/compare-${ids[2]:-x}.out'"
check "popcode compare reads the folder" bash -c "'$popcode' compare '$runs/slurmtest' --format csv | [ \$(wc -l) -eq 5 ]"
if "$popcode" report --help >/dev/null 2>&1; then
  check "the follow-up also ran popcode report (report.html)" bash -c "
    [ -s '$runs/slurmtest/report.html' ] && grep -q 'report.html' '$slurm/compare-${ids[2]:-x}.out'"
fi

jobs_before=$(wc -l < "$base/log/jobcomp.txt")
timeout 60 "$popcode" slurm "$work/sweep.yaml" --runs-dir "$runs" --max-parallel 2 --submit > "$work/submit1b.txt" 2>&1
status=$?
check "submitting again when all completed exits 0 and submits nothing" bash -c "
  [ $status -eq 0 ] && grep -q 'all 4 runs completed; nothing to submit' '$work/submit1b.txt' &&
  ! grep -q '^submitted' '$work/submit1b.txt' && [ -z \"\$(squeue -h)\" ] && [ \$(wc -l < '$base/log/jobcomp.txt') -eq $jobs_before ]"

# --- 2. a cancelled task, then a resubmission ------------------------------------------------
say "2. one task cancelled, then submitted again"
runs=$work/runs2
slurm=$runs/slurmtest/slurm
timeout 10 scontrol update PartitionName=debug State=DOWN || die "cannot take the partition down"
timeout 120 "$popcode" slurm "$work/sweep.yaml" --runs-dir "$runs" --max-parallel 2 --time 00:05:00 --submit \
  > "$work/submit2.txt" 2>&1
status=$?
check "popcode slurm --submit (partition down: jobs wait) exits 0" test "$status" -eq 0
mapfile -t ids < <(submitted_ids "$work/submit2.txt")
check "3 jobs submitted" test ${#ids[@]} -eq 3
timeout 10 scancel "${ids[0]:-x}_1"
status=$?
check "scancel ${ids[0]:-x}_1 (run 1) before it starts" test "$status" -eq 0
check "the first array's pending tasks are now 0 and 2" \
  test "$(timeout 5 squeue -h -r -j "${ids[0]:-x}" -o %K | sort -n | tr '\n' ' ')" = "0 2 "
timeout 10 scontrol update PartitionName=debug State=UP || die "cannot bring the partition up"
wait_jobs "${ids[@]}"
check "every job ended within 120 s" test $? -eq 0
check "3 runs completed, run 1 (seed=0,sigma=0.3) has no metrics.json" bash -c "
  [ $(count_metrics "$runs") -eq 3 ] && [ ! -e '$runs/slurmtest/seed=0,sigma=0.3/metrics.json' ]"
check "the follow-up ran, said what is missing and failed visibly (exit 1)" bash -c "
  grep -q '3 of 4 runs completed, 1 did not finish' '$slurm/compare-${ids[2]:-x}.out' &&
  [ \$(wc -l < '$runs/slurmtest/comparison.csv') -eq 4 ]"
check "the follow-up job ended FAILED in Slurm's record (jobcomp) too" \
  test "$(job_state "${ids[2]:-x}")" = FAILED

declare -A mtime
for run in 'seed=0,sigma=0.2' 'seed=1,sigma=0.2' 'seed=1,sigma=0.3'; do
  mtime[$run]=$(stat -c %y "$runs/slurmtest/$run/metrics.json" 2>/dev/null)
done
sleep 1
timeout 120 "$popcode" slurm "$work/sweep.yaml" --runs-dir "$runs" --max-parallel 2 --time 00:05:00 --submit \
  > "$work/submit3.txt" 2>&1
status=$?
check "submitting again exits 0" test "$status" -eq 0
sed 's/^/        /' "$work/submit3.txt"
mapfile -t ids < <(submitted_ids "$work/submit3.txt")
check "it submitted 1 array of the missing run and a follow-up" bash -c "
  [ ${#ids[@]} -eq 2 ] && grep -q '3 completed, 1 to run, as 1 job array' '$work/submit3.txt'"
check "the array line lists only run 1: --array=1%2" grep -qx '#SBATCH --array=1%2' "$slurm/sweep.sbatch"
wait_jobs "${ids[@]}"
check "every job ended within 120 s" test $? -eq 0
check "exactly one task ran: the only log of array ${ids[0]:-x} is ${ids[0]:-x}_1.out, for run 1" bash -c "
  [ \"\$(cd '$slurm' && ls ${ids[0]:-x}_*.out)\" = '${ids[0]:-x}_1.out' ] && grep -q 'popcode: run 1 ' '$slurm/${ids[0]:-x}_1.out'"
same_mtimes=1
for run in "${!mtime[@]}"; do
  now=$(stat -c %y "$runs/slurmtest/$run/metrics.json" 2>/dev/null)
  [ "$now" = "${mtime[$run]}" ] || same_mtimes=0
done
check "the 3 completed runs were not touched (metrics.json mtimes unchanged)" test "$same_mtimes" -eq 1
check "all 4 runs now equal the local ones" all_same_as_local "$runs"
check "the follow-up wrote the comparison of all 4 runs and ended COMPLETED" bash -c "
  [ \$(wc -l < '$runs/slurmtest/comparison.csv') -eq 5 ] && grep -q 'all 4 runs completed' '$slurm/compare-${ids[1]:-x}.out' &&
  [ '$(job_state "${ids[1]:-x}")' = COMPLETED ]"

say "$passed passed, $failed failed ($((SECONDS - started)) s in all, $((SECONDS - cluster_started)) s since the cluster started)"
[ "$failed" -eq 0 ]
