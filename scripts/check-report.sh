#!/usr/bin/env bash
# The report in a real browser: trains a small sweep (2 seeds x 2 sigmas, 100 epochs) with
# `popcode run`, adds a run that diverges (lr 100), writes the report with `popcode report`,
# opens it in headless Chromium (Debian's `chromium`, installed when missing), and fails
# on a blank or broken page:
#   - the DOM Chromium dumps has every <svg> of the file (and the number this sweep must
#     give), a table row for every run, the failed run marked failed, and its points drawn;
#   - the screenshot (1400x4000) is not blank: many distinct colours, enough ink.
# Also checks `popcode report`'s exit status 2 for a folder without runs and an unknown --run,
# and that the report of a 40-run sweep leads with the grouped table and the plots, its table
# of runs folded in a closed <details> after them.
#
# Usage: scripts/check-report.sh [--screenshot FILE] [--keep]
#   --screenshot FILE  also save a README-sized copy of the page's top (<= 400 KB PNG)
#   --keep             keep the temporary folder (its path is printed)
# Environment: POPCODE=path/to/popcode to skip the release build.
# Every wait is bounded; no process is left behind.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

screenshot_out=""
keep=0
while [ $# -gt 0 ]; do
  case "$1" in
    --screenshot) screenshot_out=$(realpath -m "$2"); shift 2 ;;
    --keep) keep=1; shift ;;
    *) echo "usage: scripts/check-report.sh [--screenshot FILE] [--keep]" >&2; exit 2 ;;
  esac
done

fail() { echo "check-report: FAIL: $*" >&2; exit 1; }
note() { echo "check-report: $*" >&2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/popcode-check-report.XXXXXX")
profile="$work/chromium-profile"
cleanup() {
  # Chromium helpers that outlived their parent: only ours, found by our private profile
  # folder on their command line, ended by process id.
  local pid command
  for pid in $(grep -lsF -- "$profile" /proc/[0-9]*/cmdline 2>/dev/null | cut -d/ -f3); do
    command=$( { tr '\0' ' ' < "/proc/$pid/cmdline"; } 2>/dev/null || true)
    case "${command%% *}" in
      *chromium*) kill -KILL "$pid" 2>/dev/null || true ;;
    esac
  done
  if [ "$keep" -eq 1 ]; then note "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

# --- Tools -------------------------------------------------------------------------------
python=/usr/bin/python3   # Debian's, for python3-pil
missing=()
command -v chromium >/dev/null || missing+=(chromium)
"$python" -c 'import PIL' 2>/dev/null || missing+=(python3-pil)
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  note "installing ${missing[*]}"
  timeout 300 $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive timeout 900 $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
command -v chromium >/dev/null || fail "chromium is not installed"

if [ -n "${POPCODE:-}" ]; then
  popcode=$(realpath "$POPCODE")
else
  note "building popcode (release)"
  timeout 1800 swift build -c release --product popcode >/dev/null
  popcode="$(swift build -c release --show-bin-path)/popcode"
fi
[ -x "$popcode" ] || fail "no popcode binary at $popcode"

# --- A small sweep with one failed run ----------------------------------------------------
cat > "$work/small.yaml" <<'YAML'
name: small
seed: [0, 1]
sigma: [0.12, 0.18]
epochs: 100
n_train: 1000
n_test: 300
YAML
note "training the sweep"
(cd "$work" && timeout 600 "$popcode" run small.yaml --jobs 2 --quiet --runs-dir runs >/dev/null) \
  || fail "popcode run failed"
set +e
(cd "$work" && timeout 300 "$popcode" train --quiet --seed 0 --lr 100 --epochs 100 --n-train 1000 --n-test 300 \
   --out runs/small/seed=0,lr=100 >/dev/null 2>&1)
status=$?
set -e
[ "$status" -eq 1 ] || fail "the lr=100 run should fail with status 1, got $status"
runs=("seed=0,sigma=0.12" "seed=0,sigma=0.18" "seed=1,sigma=0.12" "seed=1,sigma=0.18" "seed=0,lr=100")

# --- The report ---------------------------------------------------------------------------
(cd "$work" && timeout 120 "$popcode" report runs/small >/dev/null) || fail "popcode report failed"
report="$work/runs/small/report.html"
[ -s "$report" ] || fail "no $report"

mkdir -p "$work/empty"
set +e
(cd "$work" && timeout 60 "$popcode" report empty >/dev/null 2>"$work/empty.err"); status=$?
set -e
[ "$status" -eq 2 ] || fail "popcode report on a folder without runs should exit 2, got $status"
grep -q "no runs found" "$work/empty.err" || fail "no 'no runs found' message: $(cat "$work/empty.err")"
set +e
(cd "$work" && timeout 60 "$popcode" report runs/small --run nope >/dev/null 2>"$work/run.err"); status=$?
set -e
[ "$status" -eq 2 ] || fail "popcode report --run nope should exit 2, got $status"

# --- Chromium -----------------------------------------------------------------------------
chromium_run() {
  timeout --kill-after=5 90 chromium --headless --no-sandbox --disable-gpu --hide-scrollbars \
    --no-first-run --no-default-browser-check --disable-extensions --user-data-dir="$profile" "$@"
}
note "rendering in $(chromium --version 2>/dev/null | head -1)"
chromium_run --dump-dom "file://$report" > "$work/dom.html" 2>"$work/chromium-dom.log" \
  || fail "chromium --dump-dom failed (see $work/chromium-dom.log)"
chromium_run --screenshot="$work/page.png" --window-size=1400,4000 "file://$report" >"$work/chromium-shot.log" 2>&1 \
  || fail "chromium --screenshot failed (see $work/chromium-shot.log)"
[ -s "$work/page.png" ] || fail "chromium wrote no screenshot"

# --- What the browser made of it ----------------------------------------------------------
# 33 figures: key + 4 training curves + 3 final metrics + inputs/reconstructions
# + 3 colourings x (3 projections + colour key) + 3-D view and its key + singular values
# + 8 snapshots (epochs 0, 1, 2, 5, 10, 20, 50, 100) and their key.
"$python" - "$report" "$work/dom.html" "$work/page.png" "${runs[@]}" <<'PY' || fail "the rendered page is blank or broken (above)"
import re, sys
from PIL import Image

report_path, dom_path, png_path, *runs = sys.argv[1:]
source = open(report_path, encoding="utf-8").read()
dom = open(dom_path, encoding="utf-8").read()
problems = []

expected_svgs = 33
in_file, in_dom = source.count("<svg "), len(re.findall(r"<svg\b", dom))
if in_dom != in_file or in_dom != expected_svgs:
    problems.append(f"{in_dom} <svg> elements in the DOM, {in_file} in the file, {expected_svgs} expected")
rows = sum(1 for run in runs if f'data-run="small/{run}"' in dom)
for run in runs:
    if f'data-run="small/{run}"' not in dom:
        problems.append(f"no table row for run {run}")
if '<tr class="failed" data-run="small/seed=0,lr=100">' not in dom or "✗ failed" not in dom:
    problems.append("the diverged run is not shown as failed")
completed = len(re.findall(r'<tr class="completed" data-run=', dom))
if completed != 4:
    problems.append(f"{completed} completed rows, 4 expected")
circles = len(re.findall(r"<circle\b", dom))
if circles < 9 * 300:
    problems.append(f"only {circles} points drawn; the 9 projections of 300 test images alone have 2700")
if "</html>" not in dom or "<h2>Training curves</h2>" not in dom:
    problems.append("the DOM is incomplete")

image = Image.open(png_path).convert("RGB")
if image.size != (1400, 4000):
    problems.append(f"screenshot is {image.size}, not 1400x4000")
small = image.resize((350, 1000))
colours = len(set(small.getdata()))
ink = sum(1 for p in small.getdata() if min(p) < 245) / (350 * 1000)
if colours < 200:
    problems.append(f"the screenshot has only {colours} distinct colours")
if ink < 0.05:
    problems.append(f"only {ink:.1%} of the screenshot is not white")

for problem in problems:
    print("  -", problem, file=sys.stderr)
print(f"check-report: DOM: {in_dom} svg, {rows} of {len(runs)} run rows, {circles} points; "
      f"screenshot: {colours} colours, {ink:.0%} ink", file=sys.stderr)
sys.exit(1 if problems else 0)
PY

# --- A larger sweep: the grouped table and the plots first, the table of runs folded -------
cat > "$work/many.yaml" <<'YAML'
name: many
seed: {from: 0, to: 19}
sigma: [0.12, 0.18]
epochs: 5
n_train: 64
n_test: 32
n_hidden: 16
n_implicit: 2
n_enc_hidden: 8
batch_size: 16
YAML
note "training a 40-run sweep"
(cd "$work" && timeout 600 "$popcode" run many.yaml --jobs 2 --quiet --runs-dir runs >/dev/null) \
  || fail "popcode run of the 40-run sweep failed"
chromium_run --dump-dom "file://$work/runs/many/report.html" > "$work/many-dom.html" 2>"$work/chromium-many.log" \
  || fail "chromium --dump-dom of the 40-run report failed (see $work/chromium-many.log)"
"$python" - "$work/many-dom.html" <<'PY' || fail "the 40-run report does not lead with the grouped table and fold its runs (above)"
import re, sys
dom = open(sys.argv[1], encoding="utf-8").read()
problems = []
folded = re.search(r'<details class="runs"( open[^>]*)?><summary>([^<]*)</summary>(.*?)</details>', dom, re.S)
if not folded:
    problems.append("no <details class=\"runs\"> holding the table of runs")
else:
    if folded.group(1):
        problems.append("the table of runs is unfolded (open) when the page loads")
    if folded.group(2) != "Every run: 40 rows (click to unfold)":
        problems.append(f"summary line {folded.group(2)!r}")
    rows = len(re.findall(r'<tr class="completed" data-run="many/', folded.group(3)))
    if rows != 40:
        problems.append(f"{rows} run rows inside the folded table, 40 expected")
positions = [dom.find(marker) for marker in ('id="groups"', 'id="curves"', 'id="finals"', '<details class="runs"')]
if -1 in positions or positions != sorted(positions):
    problems.append(f"sections out of order (grouped table, curves, final metrics, runs): {positions}")
groups = re.search(r'<table class="configurations">.*?</table>', dom, re.S)
if not groups or len(re.findall(r"<tr", groups.group(0))) != 3:
    problems.append("the grouped table does not have its 2 configurations")
for problem in problems:
    print("  -", problem, file=sys.stderr)
sys.exit(1 if problems else 0)
PY
note "the 40-run report leads with the grouped table and plots; its 40 runs are folded"

if [ -n "$screenshot_out" ]; then
  # For the README: the page's top (tables, training curves, final metrics) followed by the
  # snapshots of m̂ during training, cut from the report's own HTML, rendered, trimmed, and
  # saved 1000 px wide in 256 colours.
  "$python" - "$report" "$work/readme.html" <<'PY'
import sys
source = open(sys.argv[1], encoding="utf-8").read()
top_end = source.index("</section>", source.index('<section id="finals">')) + len("</section>")
start = source.index('<h3 id="snapshots">')
end = source.index("</figure>", start) + len("</figure>")
open(sys.argv[2], "w", encoding="utf-8").write(
    source[:top_end] + "<section>" + source[start:end] + "</section></main></body></html>\n")
PY
  chromium_run --screenshot="$work/readme.png" --window-size=1400,3600 "file://$work/readme.html" >"$work/chromium-readme.log" 2>&1 \
    || fail "chromium --screenshot of the README excerpt failed"
  "$python" - "$work/readme.png" "$screenshot_out" <<'PY'
import sys
from PIL import Image, ImageOps
image = Image.open(sys.argv[1]).convert("RGB")
box = ImageOps.invert(image).getbbox()          # the non-white part
image = image.crop((max(0, box[0] - 24), 0, min(image.width, box[2] + 24), min(image.height, box[3] + 24)))
image = image.resize((1000, round(image.height * 1000 / image.width)), Image.LANCZOS)
image.quantize(colors=256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE).save(sys.argv[2], optimize=True)
PY
  size_kb=$(( $(stat -c %s "$screenshot_out") / 1024 ))
  [ "$size_kb" -le 400 ] || fail "$screenshot_out is $size_kb KB, more than 400"
  note "saved a ${size_kb} KB screenshot to $screenshot_out"
fi
echo "check-report: OK: the report of a 5-run sweep renders in Chromium; a 40-run report folds its table of runs"
