#!/usr/bin/env bash
# Crash test of the overnight queue: SIGKILLs queue workers at random moments and checks
# that nothing is lost, duplicated or corrupted.
#
#   scripts/crash-test.sh [KILLS]        (default 10; CI runs ≥ 10, a long run ≥ 50)
#
# KILLS is the number of SIGKILLs of each of the three parts below (the queue's sweep, the
# halving search through `popcode run`, and through the queue); a search part runs the
# search again in a fresh folder until it has made that many.
#
# In rounds, until KILLS workers have been killed: queue a small sweep (5 runs of a few
# hundred ms, a checkpoint every 2 epochs, with no minimum time between: kills land in
# checkpoint writes) in a fresh runs folder, then again and again start
# a worker (sometimes two at once), SIGKILL it after a random 20–500 ms (sometimes SIGTERM
# instead, which must exit 0), and restart; then let a worker finish. Each round checks:
#   - the queue: one row per run, all completed, no owner left, SQLite integrity ok;
#   - the files: no temporary (.tmp-) file, checkpoint or lock note left (a run's .lock stays,
#     empty), every JSON file parses,
#     comparison.json lists every run;
#   - each run: metrics.json (timings and environment aside) and arrays.npz byte for
#     byte equal to an uninterrupted `popcode run` of the same sweep, and completed exactly once (its
#     metrics.json, once seen, is never replaced);
#   - the workers' logs: no failure and no problem reported.
# Then the same for a halving search (a Sobol search halved over epochs, 20 -> 60 -> 180,
# promotions continuing from final states, confirmed on a fresh seed), once through
# `popcode run` and once through queue workers, each with KILLS kills: sometimes at a random
# moment, sometimes right when a round's last result appears (during the round
# transition: the state is decided, the next round added and started). Each checks that the
# search's whole state in experiment.json (rounds, survivors, every decision with its
# inputs, the confirmation seeds and results, the winner) equals an uninterrupted run's,
# that every run's metrics.json and arrays are equal, that each run folder holds the same
# files (no checkpoint, final state or temporary file left) and the experiment folder the
# same summaries, and, for the queue, one
# completed row per run of the search.
# Prints "crash test: … N passed, M failed" and exits 1 on any failure.
#
# Environment: POPCODE (binary to test; default: .build/release/popcode, built when older
# than the sources), CRASH_TEST_SEED (bash RANDOM seed), CRASH_TEST_TIMEOUT (seconds, 900),
# CRASH_TEST_KEEP=1 (keep the work folder; it is always kept after a failure).
set -euo pipefail
cd "$(dirname "$0")/.."

kills_wanted=${1:-10}
[[ "$kills_wanted" =~ ^[0-9]+$ ]] || { echo "usage: scripts/crash-test.sh [KILLS]" >&2; exit 2; }
seed=${CRASH_TEST_SEED:-$$}
RANDOM=$seed
deadline=$((SECONDS + ${CRASH_TEST_TIMEOUT:-900}))

bin=${POPCODE:-.build/release/popcode}
if [ -z "${POPCODE:-}" ] && { [ ! -x "$bin" ] || [ -n "$(find Sources Package.swift -newer "$bin" -print -quit)" ]; }; then
  echo "crash test: building release" >&2
  swift build -c release --product popcode >/dev/null
fi
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")

work=$(mktemp -d "${TMPDIR:-/tmp}/popcode-crash-test.XXXXXX")
workers=()
failed=0
cleanup() {
  for pid in "${workers[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
  if [ "$failed" -eq 0 ] && [ -z "${CRASH_TEST_KEEP:-}" ]; then rm -rf "$work"; else echo "kept $work" >&2; fi
}
trap cleanup EXIT

cat > "$work/sweep.yaml" <<'EOF'
name: crash
description: five short runs for the crash test
seed: [0, 1, 2, 3, 4]
epochs: 200
n_train: 400
n_test: 100
n_hidden: 64
n_enc_hidden: 32
batch_size: 32
EOF

echo "crash test: seed $seed, $kills_wanted kills, work folder $work" >&2
"$bin" run "$work/sweep.yaml" --runs-dir "$work/reference" --jobs 2 --quiet >/dev/null

# Live (started, not exited, not a zombie) process?
alive() { [ -r "/proc/$1/stat" ] && [ "$(cut -d' ' -f3 "/proc/$1/stat" 2>/dev/null)" != Z ]; }

kills=0 terms=0 starts=0 rounds=0 passed=0
fail() { echo "FAIL: $*" >&2; failed=$((failed + 1)); }

while [ "$kills" -lt "$kills_wanted" ] || [ "$rounds" -eq 0 ]; do
  rounds=$((rounds + 1))
  runs="$work/round$rounds"
  log="$work/round$rounds.log"
  "$bin" queue add "$work/sweep.yaml" --runs-dir "$runs" >/dev/null
  : > "$work/seen"

  # Kill workers until the queue is done or enough kills were made.
  while [ "$kills" -lt "$kills_wanted" ]; do
    [ "$SECONDS" -lt "$deadline" ] || { fail "timed out (CRASH_TEST_TIMEOUT)"; break 2; }
    workers=()
    "$bin" queue run --runs-dir "$runs" --jobs 2 --checkpoint-every 2 --checkpoint-min-seconds 0 >>"$log" 2>&1 &
    workers+=($!)
    if [ $((RANDOM % 4)) -eq 0 ]; then   # a second worker started by mistake
      "$bin" queue run --runs-dir "$runs" --jobs 1 --checkpoint-every 2 --checkpoint-min-seconds 0 >>"$log" 2>&1 &
      workers+=($!)
    fi
    starts=$((starts + ${#workers[@]}))
    sleep "0.$(printf '%03d' $((20 + RANDOM % 480)))"
    if [ ${#workers[@]} -eq 1 ] && [ $((RANDOM % 8)) -eq 0 ] && alive "${workers[0]}"; then
      # A polite stop: the worker checkpoints, gives its runs back and exits 0. (Sent once it
      # logged its first line: its signal handlers are installed by then.)
      for _ in $(seq 100); do grep -q "worker pid ${workers[0]} " "$log" && break; sleep 0.01; done
      kill -TERM "${workers[0]}" 2>/dev/null || true
      status=0
      wait "${workers[0]}" || status=$?
      [ "$status" -eq 0 ] || fail "round $rounds: a worker stopped by SIGTERM exited $status"
      terms=$((terms + 1))
    else
      for pid in "${workers[@]}"; do
        if alive "$pid" && kill -9 "$pid" 2>/dev/null; then kills=$((kills + 1)); fi
      done
      { for pid in "${workers[@]}"; do wait "$pid" || true; done; } 2>/dev/null   # (no "Killed" notices)
    fi
    workers=()
    # Remember each completed metrics.json as first seen: a rewrite would get another inode.
    for f in "$runs"/crash/*/metrics.json; do
      if [ -e "$f" ] && grep -q '"status" : "completed"' "$f"; then echo "$f $(stat -c %i "$f")" >>"$work/seen"; fi
    done
    if "$bin" queue status --runs-dir "$runs" --format json | python3 -c \
        'import json, sys; c = json.load(sys.stdin)["counts"]; sys.exit(0 if c["completed"] == c["total"] else 1)'; then
      break
    fi
  done

  # Let a worker finish the round.
  status=0
  timeout 300 "$bin" queue run --runs-dir "$runs" --jobs 2 --checkpoint-every 2 --checkpoint-min-seconds 0 >>"$log" 2>&1 || status=$?
  [ "$status" -eq 0 ] || fail "round $rounds: the last worker exited $status (see $log)"

  result=$(python3 - "$work/reference/crash" "$runs" "$work/seen" "$log" <<'PY' || true
import json, os, sqlite3, sys

reference, runs, seen_file, log = sys.argv[1:]
experiment = os.path.join(runs, "crash")
passed, problems = 0, []

def load(path):
    with open(path) as f:
        return json.load(f)

def without_timings(metrics):
    return {k: v for k, v in metrics.items() if k not in ("timing", "environment")}

labels = sorted(d for d in os.listdir(reference) if os.path.isdir(os.path.join(reference, d)))
ids = {label: load(os.path.join(reference, label, "metrics.json"))["id"] for label in labels}

# The queue: one completed row per run, no owner left, a sound database.
db = sqlite3.connect(f"file:{os.path.join(runs, 'queue.sqlite')}?mode=ro", uri=True)
rows = db.execute("SELECT run_id, label, state, owner_token FROM run").fetchall()
integrity = db.execute("PRAGMA integrity_check").fetchone()[0]
db.close()
queue_ok = (integrity == "ok" and len(rows) == len(labels)
            and sorted((r[1], r[0]) for r in rows) == sorted(ids.items())
            and all(r[2] == "completed" and r[3] is None for r in rows))
if queue_ok: passed += 1
else: problems.append(f"queue rows {rows}, integrity {integrity}")

# The files: nothing temporary or unfinished, every JSON readable.
files_ok = True
for folder, _, names in os.walk(runs):
    for name in names:
        path = os.path.join(folder, name)
        # A run's .lock stays, empty once let go; a note in it is a killed holder's, left over.
        if ".tmp-" in name or name == "checkpoint.json" or (name == ".lock" and os.path.getsize(path) > 0):
            files_ok = False; problems.append(f"left over: {path}")
        elif name == ".lock":
            continue
        elif name.endswith(".json"):
            try: load(path)
            except Exception as e: files_ok = False; problems.append(f"unreadable {path}: {e}")
try:
    comparison = load(os.path.join(experiment, "comparison.json"))
    if len(comparison["runs"]) != len(labels):
        files_ok = False; problems.append(f"comparison.json lists {len(comparison['runs'])} runs")
except Exception as e:
    files_ok = False; problems.append(f"comparison.json: {e}")
if files_ok: passed += 1

# Each run: equal to the uninterrupted run, completed exactly once.
first_seen = {}
with open(seen_file) as f:
    for line in f:
        path, inode = line.rsplit(" ", 1)
        first_seen.setdefault(path, inode.strip())
for label in labels:
    path = os.path.join(experiment, label, "metrics.json")
    try:
        ok = True
        mine, theirs = load(path), load(os.path.join(reference, label, "metrics.json"))
        if mine["status"] != "completed" or mine["id"] != ids[label]:
            ok = False; problems.append(f"{label}: status {mine['status']}, id {mine['id']}")
        if without_timings(mine) != without_timings(theirs):
            ok = False; problems.append(f"{label}: metrics.json differs from the uninterrupted run")
        arrays = sorted(n for n in os.listdir(os.path.join(reference, label)) if n.endswith((".npy", ".npz")))
        if not arrays or arrays != sorted(n for n in os.listdir(os.path.join(experiment, label)) if n.endswith((".npy", ".npz"))):
            ok = False; problems.append(f"{label}: the array files differ from the uninterrupted run's ({arrays})")
        for name in arrays:
            with open(os.path.join(experiment, label, name), "rb") as a, open(os.path.join(reference, label, name), "rb") as b:
                if a.read() != b.read():
                    ok = False; problems.append(f"{label}: {name} differs from the uninterrupted run")
        if path in first_seen and first_seen[path] != str(os.stat(path).st_ino):
            ok = False; problems.append(f"{label}: metrics.json was written again after the run completed")
    except Exception as e:
        ok = False; problems.append(f"{label}: {e}")
    passed += ok

# The logs: no failed run, no problem.
with open(log) as f:
    bad = [line.rstrip() for line in f if "FAILED" in line or "problem:" in line]
if bad: problems.extend(f"log: {line}" for line in bad)
else: passed += 1

checks = len(labels) + 3
for p in problems: print("FAIL:", p, file=sys.stderr)
print(passed, checks - passed)
PY
)
  read -r p f <<<"${result:-0 1}"
  passed=$((passed + p)); failed=$((failed + f))
  echo "round $rounds: $p passed, $f failed (kills so far: $kills)" >&2
  [ "$f" -eq 0 ] || { echo "log of round $rounds:" >&2; tail -n 40 "$log" >&2; }
done

# --- A halving search, through `popcode run` and through the queue -----------------------
cat > "$work/search.yaml" <<'EOF'
name: crash-search
description: a small halving search for the crash test
lr: {loguniform: [0.05, 0.5]}
sigma: {uniform: [0.1, 0.3]}
seed: [0, 1]
search: {method: sobol, samples: 4, seed: 0}
halving: {resource: epochs, min: 20, max: 180, eta: 3, confirm: 1}
n_train: 400
n_test: 100
n_hidden: 64
n_enc_hidden: 32
batch_size: 32
EOF
"$bin" run "$work/search.yaml" --runs-dir "$work/search-reference" --jobs 2 --quiet >/dev/null
search_reference="$work/search-reference/crash-search"
# The number of results at the end of each round (runs of rounds 0…k), then of the whole search.
read -r -a transitions <<<"$(python3 - "$search_reference/experiment.json" <<'PY'
import json, sys
search = json.load(open(sys.argv[1]))["search"]
rounds = [r.get("round") for r in search["runs"]]
ends = sorted({sum(1 for x in rounds if x is not None and x <= k) for k in range(len(search["rounds"]))})
print(" ".join(map(str, ends + [len(rounds)])))
PY
)"
shopt -s nullglob
search_kills=0 transition_kills=0
# Results so far in experiment folder $1 (no subprocess: the poll must be quick).
results_in() { local found=("$1"/*/metrics.json); results=${#found[@]}; }
# Kills the processes in workers[] once their experiment folder $1 holds the results of the
# next round end (or after 10 s), a moment after the round's last run was written: the state
# is being decided and the next round added and started.
kill_at_transition() {
  local target=0 end=$((SECONDS + 10)) t state
  results_in "$1"
  for t in "${transitions[@]}"; do if [ "$t" -gt "$results" ]; then target=$t; break; fi; done
  [ "$target" -gt 0 ] || return 1
  while [ "$results" -lt "$target" ]; do
    [ "$SECONDS" -lt "$end" ] || return 1
    read -r _ _ state _ <"/proc/${workers[0]}/stat" 2>/dev/null || return 1
    [ "$state" != Z ] || return 1
    results_in "$1"
  done
}
kill_workers() {
  local pid
  for pid in "${workers[@]}"; do
    if alive "$pid" && kill -9 "$pid" 2>/dev/null; then kills=$((kills + 1)); search_kills=$((search_kills + 1)); fi
  done
  { for pid in "${workers[@]}"; do wait "$pid" || true; done; } 2>/dev/null
  workers=()
}

# A search through each mode, again in a fresh folder until KILLS kills were made in it
# (a small search ends after fewer).
for mode in run queue; do
  made=0 attempt=0
  while [ "$made" -lt "$kills_wanted" ]; do
    attempt=$((attempt + 1))
    rounds=$((rounds + 1))
    runs="$work/search-$mode-$attempt"
    log="$work/search-$mode-$attempt.log"
    experiment="$runs/crash-search"
    [ "$mode" = run ] || "$bin" queue add "$work/search.yaml" --runs-dir "$runs" >/dev/null
    while [ "$made" -lt "$kills_wanted" ]; do
      [ "$SECONDS" -lt "$deadline" ] || { fail "timed out (CRASH_TEST_TIMEOUT)"; break 3; }
      before=$search_kills
      workers=()
      if [ "$mode" = run ]; then
        "$bin" run "$work/search.yaml" --runs-dir "$runs" --jobs 2 --checkpoint-every 2 --checkpoint-min-seconds 0 --quiet >>"$log" 2>&1 &
        workers+=($!)
      else
        "$bin" queue run --runs-dir "$runs" --jobs 2 --checkpoint-every 2 --checkpoint-min-seconds 0 >>"$log" 2>&1 &
        workers+=($!)
        if [ $((RANDOM % 4)) -eq 0 ]; then
          "$bin" queue run --runs-dir "$runs" --jobs 1 --checkpoint-every 2 --checkpoint-min-seconds 0 >>"$log" 2>&1 &
          workers+=($!)
        fi
      fi
      starts=$((starts + ${#workers[@]}))
      at_end=0
      if [ $((RANDOM % 2)) -eq 0 ]; then
        kill_at_transition "$experiment" && at_end=1
      else
        sleep "0.$(printf '%03d' $((20 + RANDOM % 480)))"
      fi
      kill_workers
      made=$((made + search_kills - before))
      [ "$at_end" -eq 0 ] || [ "$search_kills" -eq "$before" ] || transition_kills=$((transition_kills + 1))
      # Stop early once the search is finished (nothing left to interrupt).
      results_in "$experiment"
      [ "$results" -lt "${transitions[-1]}" ] || break
    done
    # Let it finish: `popcode run` again, or a last worker.
    status=0
    if [ "$mode" = run ]; then
      timeout 300 "$bin" run "$work/search.yaml" --runs-dir "$runs" --jobs 2 --checkpoint-every 2 --checkpoint-min-seconds 0 --quiet >>"$log" 2>&1 || status=$?
    else
      timeout 300 "$bin" queue run --runs-dir "$runs" --jobs 2 --checkpoint-every 2 --checkpoint-min-seconds 0 >>"$log" 2>&1 || status=$?
    fi
    [ "$status" -eq 0 ] || fail "search through $mode: the last process exited $status (see $log)"

    result=$(python3 - "$search_reference" "$runs" "$mode" "$log" <<'PY' || true
import json, os, sqlite3, sys

reference, runs, mode, log = sys.argv[1:]
experiment = os.path.join(runs, "crash-search")
passed, problems = 0, []

def load(path):
    with open(path) as f:
        return json.load(f)

def without_timings(metrics):
    return {k: v for k, v in metrics.items() if k not in ("timing", "environment")}

def files(folder):
    return sorted(os.listdir(folder)) if os.path.isdir(folder) else None

# The search's decisions: the whole state, and the comparison's winner line.
search = load(os.path.join(reference, "experiment.json"))["search"]
try:
    mine = load(os.path.join(experiment, "experiment.json"))["search"]
    if mine == search: passed += 1
    else:
        for key in ("rounds", "confirmation", "winner", "runs", "phase", "pending"):
            if mine.get(key) != search.get(key): problems.append(f"experiment.json: the search's {key} differs from the uninterrupted run's")
    winner = lambda folder: [l for l in open(os.path.join(folder, "comparison.md")) if l.startswith("Winner:")]
    if winner(experiment) and winner(experiment) == winner(reference): passed += 1
    else: problems.append(f"comparison.md: winner {winner(experiment)} against {winner(reference)}")
except Exception as e:
    problems.append(f"experiment.json / comparison.md: {e}")
labels = [r["run"]["label"] for r in search["runs"]]
ids = {r["run"]["label"]: r["run"]["id"] for r in search["runs"]}

# The queue: one completed row per run of the search, no owner left, a sound database.
if mode == "queue":
    db = sqlite3.connect(f"file:{os.path.join(runs, 'queue.sqlite')}?mode=ro", uri=True)
    rows = db.execute("SELECT run_id, label, state, owner_token FROM run").fetchall()
    integrity = db.execute("PRAGMA integrity_check").fetchone()[0]
    db.close()
    if (integrity == "ok" and sorted((r[1], r[0]) for r in rows) == sorted(ids.items())
            and all(r[2] == "completed" and r[3] is None for r in rows)):
        passed += 1
    else:
        problems.append(f"queue rows {rows}, integrity {integrity}")

# The folders: the same runs, each with the same files, nothing temporary or kept.
if sorted(d for d in os.listdir(experiment) if os.path.isdir(os.path.join(experiment, d))) == sorted(labels):
    passed += 1
else:
    problems.append("the run folders differ from the uninterrupted run's")
for label in labels:
    try:
        ok = True
        here, there = os.path.join(experiment, label), os.path.join(reference, label)
        if files(here) != files(there):
            ok = False; problems.append(f"{label}: files {files(here)}, uninterrupted {files(there)}")
        leftovers = [n for n in files(here) or [] if ".tmp-" in n or n in ("checkpoint.json", "final-state.json")
                     or (n == ".lock" and os.path.getsize(os.path.join(here, n)) > 0)]  # a killed holder's note
        if leftovers:
            ok = False; problems.append(f"{label}: left over {leftovers}")
        mine, theirs = load(os.path.join(here, "metrics.json")), load(os.path.join(there, "metrics.json"))
        if mine["status"] != "completed" or mine["id"] != ids[label] or without_timings(mine) != without_timings(theirs):
            ok = False; problems.append(f"{label}: metrics.json differs from the uninterrupted run's")
        for name in (n for n in files(there) if n.endswith((".npy", ".npz"))):
            with open(os.path.join(here, name), "rb") as a, open(os.path.join(there, name), "rb") as b:
                if a.read() != b.read():
                    ok = False; problems.append(f"{label}: {name} differs from the uninterrupted run's")
    except Exception as e:
        ok = False; problems.append(f"{label}: {e}")
    passed += ok
# The experiment folder: the same files (comparison, report, record; nothing temporary).
# Queue workers also lock it to write the comparison: that .lock stays, empty.
lock = os.path.join(experiment, ".lock")
if mode == "queue" and os.path.exists(lock) and os.path.getsize(lock) > 0:
    problems.append(f"{lock} holds a note though nobody writes the comparison")
elif [n for n in files(experiment) if not (mode == "queue" and n == ".lock")] == files(reference):
    passed += 1
else:
    problems.append(f"{experiment} holds {files(experiment)}, the uninterrupted run's {files(reference)}")

with open(log) as f:
    bad = [line.rstrip() for line in f if "FAILED" in line or "problem:" in line]
if bad: problems.extend(f"log: {line}" for line in bad)
else: passed += 1

checks = len(labels) + (6 if mode == "queue" else 5)
for p in problems: print("FAIL:", p, file=sys.stderr)
print(passed, checks - passed)
PY
    )
    read -r p f <<<"${result:-0 1}"
    passed=$((passed + p)); failed=$((failed + f))
    echo "halving search through $mode, search $attempt: $p passed, $f failed (kills so far: $made)" >&2
    [ "$f" -eq 0 ] || { echo "log of the search through $mode:" >&2; tail -n 40 "$log" >&2; }
  done
done

echo "crash test: $kills kills (SIGKILL; $search_kills of a halving search, $transition_kills at a round's end), $terms polite stops (SIGTERM), $starts worker starts, $rounds rounds: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
