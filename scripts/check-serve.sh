#!/usr/bin/env bash
# The dashboard in a real browser: queues a small sweep, starts `popcode serve` on a free
# port, opens the index and the experiment page in headless Chromium (Debian's `chromium`
# and `chromium-driver`, driven by Selenium from PyPI; all installed when missing), starts
# a worker, and fails unless
#   - the completed counts on both pages rise to the sweep's size without a reload (the
#     pages update themselves), the in-training section shows a run while the sweep runs,
#     and the runs table sorts by a clicked column;
#   - traversal URLs (../, %2e%2e, absolute paths, symbolic links out) answer 404 and leak
#     nothing, hostile query strings answer 400, a POST changes nothing;
#   - a second server on the same port exits 2 with a clear message, `popcode serve`
#     without popcode-serve beside it exits 2, and Ctrl-C stops the server with status 0.
# It also prints the server's CPU time while the page watched the sweep.
#
# Usage: scripts/check-serve.sh [--screenshot FILE] [--keep]
#   --screenshot FILE  also save a README-sized screenshot of the experiment page
#   --keep             keep the temporary folder (its path is printed)
# Environment: POPCODE_BIN=folder with popcode and popcode-serve to skip the builds. Without
# it, popcode is built for release (it trains the sweep) and popcode-serve in the debug
# build that the unit tests already made (speed is `make bench`'s business), both copied
# into one folder, as `popcode serve` wants them.
# Every wait is bounded; no process is left behind.
set -euo pipefail
cd "$(dirname "$0")/.."

screenshot_out=""
keep=0
while [ $# -gt 0 ]; do
  case "$1" in
    --screenshot) screenshot_out=$(realpath -m "$2"); shift 2 ;;
    --keep) keep=1; shift ;;
    *) echo "usage: scripts/check-serve.sh [--screenshot FILE] [--keep]" >&2; exit 2 ;;
  esac
done

fail() { echo "check-serve: FAIL: $*" >&2; exit 1; }
note() { echo "check-serve: $*" >&2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/popcode-check-serve.XXXXXX")
profile="$work/chromium-profile"
pids=()
cleanup() {
  local pid command
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  sleep 0.5
  for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  # Chromium and chromedriver helpers that outlived Selenium: only ours, found by our
  # private profile folder on their command line, ended by process id.
  for pid in $(grep -lsF -- "$profile" /proc/[0-9]*/cmdline 2>/dev/null | cut -d/ -f3); do
    command=$( { tr '\0' ' ' < "/proc/$pid/cmdline"; } 2>/dev/null || true)
    case "${command%% *}" in
      *chrom*) kill -KILL "$pid" 2>/dev/null || true ;;
    esac
  done
  if [ "$keep" -eq 1 ]; then note "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

# --- Tools -------------------------------------------------------------------------------
missing=()
command -v chromium >/dev/null || missing+=(chromium)
command -v chromedriver >/dev/null || missing+=(chromium-driver)
[ -z "$screenshot_out" ] || /usr/bin/python3 -c 'import PIL' 2>/dev/null || missing+=(python3-pil)
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  note "installing ${missing[*]}"
  timeout 300 $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive timeout 900 $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
command -v chromium >/dev/null || fail "chromium is not installed"
command -v chromedriver >/dev/null || fail "chromedriver (chromium-driver) is not installed"
python=python3
if ! "$python" -c 'import selenium' 2>/dev/null; then
  note "installing selenium"
  timeout 600 "$python" -m pip install -q selenium >/dev/null || fail "cannot install selenium with pip"
fi

if [ -n "${POPCODE_BIN:-}" ]; then
  bin=$(realpath "$POPCODE_BIN")
else
  note "building popcode (release) and popcode-serve (debug)"
  timeout 1800 swift build -c release --product popcode >/dev/null
  timeout 1800 swift build --product popcode-serve >/dev/null
  bin="$work/bin"
  mkdir -p "$bin"
  cp "$(swift build -c release --show-bin-path)/popcode" "$(swift build --show-bin-path)/popcode-serve" "$bin/"
fi
popcode="$bin/popcode"
[ -x "$popcode" ] && [ -x "$bin/popcode-serve" ] || fail "no popcode and popcode-serve in $bin"

# --- A queued sweep and a secret beside the runs folder ------------------------------------
runs="$work/runs"
# Each run must train long enough (about a second here) for the server's 0.5 s tick and the
# page's 2 s poll to catch it in training: at 60 epochs of 600 images a run took 0.15 s once
# the core got faster, and the in-training check failed when no poll fell inside one.
cat > "$work/live.yaml" <<'YAML'
name: live
seed: [0, 1, 2, 3, 4, 5]
sigma: [0.12, 0.18]
epochs: 120
n_train: 2000
n_test: 200
YAML
total=12
secret="CHECK-SERVE-SECRET-$$"
echo "$secret" > "$work/secret.txt"
(cd "$work" && timeout 120 "$popcode" queue add live.yaml --runs-dir runs >/dev/null 2>&1) || fail "popcode queue add failed"
mkdir -p "$runs/live/seed=0,sigma=0.12"
ln -s "$work/secret.txt" "$runs/live/seed=0,sigma=0.12/leak.txt"
ln -s "$work" "$runs/escape"

# --- The server -----------------------------------------------------------------------------
(cd "$work" && exec "$popcode" serve --runs-dir runs --port 0 > "$work/serve.out" 2> "$work/serve.err") &
server=$!
pids+=("$server")
address=""
for _ in $(seq 1 100); do
  address=$(grep -o 'http://127.0.0.1:[0-9]*/' "$work/serve.out" 2>/dev/null | head -1 || true)
  [ -n "$address" ] && break
  kill -0 "$server" 2>/dev/null || fail "the server exited: $(cat "$work/serve.err")"
  sleep 0.1
done
[ -n "$address" ] || fail "the server printed no address: $(cat "$work/serve.out" "$work/serve.err")"
port=$(echo "$address" | sed 's/.*:\([0-9]*\)\/$/\1/')
note "server at $address (pid $server)"

# --- Traversal, bad queries, writes: with curl, paths sent as they are ----------------------
status_of() { curl -s --path-as-is -o "$work/body" -w '%{http_code}' "$@"; }
for path in \
  "experiments/live/runs/seed=0,sigma=0.12/files/leak.txt" \
  "experiments/live/runs/seed=0,sigma=0.12/files/..%2f..%2f..%2fsecret.txt" \
  "experiments/live/runs/seed=0,sigma=0.12/files/%2e%2e%2f%2e%2e%2f%2e%2e%2fsecret.txt" \
  "experiments/live/runs/seed=0,sigma=0.12/../../../secret.txt" \
  "experiments/%2e%2e/files/secret.txt" \
  "experiments/escape/files/secret.txt" \
  "experiments/live/files/%2fetc%2fpasswd" \
  "../secret.txt" \
  "%2e%2e/%2e%2e/secret.txt"; do
  code=$(status_of "${address}${path}")
  [ "$code" = 404 ] || fail "GET /$path answered $code, not 404"
  ! grep -q "$secret" "$work/body" || fail "GET /$path leaked the secret"
done
for path in "?x=1" "experiments/live/live?v=abc" "experiments/live/live?v=%zz" "experiments/live?v=1"; do
  code=$(status_of "${address}${path}")
  [ "$code" = 400 ] || fail "GET /$path answered $code, not 400"
done
code=$(status_of -X POST "${address}experiments/live")
[ "$code" = 404 ] || [ "$code" = 405 ] || fail "POST answered $code"
code=$(status_of -H "Host: attacker.example" "${address}")
[ "$code" = 403 ] || fail "a request for another Host name answered $code, not 403"
note "traversal URLs answer 404, hostile queries 400, foreign Host names 403"

# --- A second server on the same port; popcode serve without popcode-serve -----------------
set +e
(cd "$work" && timeout 20 "$popcode" serve --runs-dir runs --port "$port" > /dev/null 2> "$work/second.err"); status=$?
set -e
[ "$status" -eq 2 ] || fail "a second server on port $port exited $status, not 2: $(cat "$work/second.err")"
grep -q "port $port on 127.0.0.1 is in use" "$work/second.err" || fail "unclear message: $(cat "$work/second.err")"
mkdir -p "$work/lonely"
cp "$popcode" "$work/lonely/popcode"
set +e
(cd "$work" && timeout 20 "$work/lonely/popcode" serve --runs-dir runs > /dev/null 2> "$work/lonely.err"); status=$?
set -e
[ "$status" -eq 2 ] || fail "popcode serve without popcode-serve exited $status, not 2"
grep -q "swift build -c release --product popcode-serve" "$work/lonely.err" || fail "no build hint: $(cat "$work/lonely.err")"
note "port in use and a missing popcode-serve exit 2 with their reason"

# --- The browser ------------------------------------------------------------------------------
"$python" - "$address" "$total" "$work" "$profile" "$popcode" "$runs" "$screenshot_out" "$server" <<'PY' \
  || fail "the dashboard did not update in the browser (above)"
import os, subprocess, sys, time
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

address, total, work, profile, popcode, runs, screenshot, server = sys.argv[1:]
total = int(total)

def cpu_seconds():
    fields = open(f"/proc/{server}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

options = webdriver.ChromeOptions()
for argument in ["--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
                 "--disable-extensions", f"--user-data-dir={profile}", "--window-size=1400,1100"]:
    options.add_argument(argument)
driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
problems = []
worker = None
try:
    driver.set_page_load_timeout(60)
    driver.get(address)
    def text(id):
        return driver.find_element(By.ID, id).text.strip()
    if text("queue-pending") != str(total) or text("queue-completed") != "0":
        problems.append(f"index before the worker: {text('queue-pending')} pending, {text('queue-completed')} completed")
    driver.execute_script("window.notReloaded = true;")
    index = driver.current_window_handle
    driver.switch_to.new_window("tab")
    driver.get(address + "experiments/live")
    driver.execute_script("window.notReloaded = true;")
    experiment = driver.current_window_handle

    worker = subprocess.Popen([popcode, "queue", "run", "--runs-dir", runs, "--jobs", "1", "--checkpoint-every", "5",
                               "--checkpoint-min-seconds", "0"],
                              stdout=subprocess.DEVNULL, stderr=open(os.path.join(work, "worker.log"), "w"))
    start_cpu, start = cpu_seconds(), time.monotonic()
    seen, saw_training, shot = [], False, False
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        count = int(text("count-completed"))
        if not seen or count != seen[-1]:
            seen.append(count)
        if not saw_training and driver.find_elements(By.CSS_SELECTOR, "#training table.training tr[data-run]") \
                and driver.find_elements(By.CSS_SELECTOR, "#training svg"):
            saw_training = True
        if screenshot and not shot and count >= total // 2 and saw_training \
                and driver.find_elements(By.CSS_SELECTOR, "#training svg"):
            driver.set_window_size(1400, 2000)
            driver.save_screenshot(os.path.join(work, "dashboard.png"))
            driver.set_window_size(1400, 1100)
            shot = True
        if count == total:
            break
        time.sleep(0.5)
    watched = time.monotonic() - start
    cpu = cpu_seconds() - start_cpu
    if worker.wait(timeout=120) != 0:
        problems.append(f"the worker exited {worker.returncode}")
    if seen[-1] != total or len(seen) < 3:
        problems.append(f"experiment page's completed count went {seen}, not up to {total} in steps")
    if not driver.execute_script("return window.notReloaded === true;"):
        problems.append("the experiment page was reloaded")
    if not saw_training:
        problems.append("the in-training section never showed a run with its curves")
    # Sorting: click test MSE twice (descending) and compare with the numbers.
    time.sleep(2.5)
    header = [th for th in driver.find_elements(By.CSS_SELECTOR, "#runs table.runs thead th") if th.text.startswith("test MSE")][0]
    column = [th.text for th in driver.find_elements(By.CSS_SELECTOR, "#runs table.runs thead th")].index(header.text)
    header.click(); header.click()
    values = [float(row.find_elements(By.TAG_NAME, "td")[column].text.replace("\u2212", "-"))
              for row in driver.find_elements(By.CSS_SELECTOR, "#runs table.runs tbody tr")]
    if len(values) != total or values != sorted(values, reverse=True):
        problems.append(f"sorting by test MSE gave {values}")
    driver.switch_to.window(index)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and text("queue-completed") != str(total):
        time.sleep(0.5)
    if text("queue-completed") != str(total) or not driver.execute_script("return window.notReloaded === true;"):
        problems.append(f"index shows {text('queue-completed')} completed without a reload, not {total}")
    print(f"check-serve: counts seen on the experiment page: {seen}; server CPU {cpu:.2f} s in {watched:.1f} s "
          f"watching ({100 * cpu / watched:.1f} % of a core, two pages open)", file=sys.stderr)
    if screenshot and not shot:
        problems.append("no moment for the screenshot came")
finally:
    if worker and worker.poll() is None:
        worker.terminate()
        worker.wait(timeout=30)
    driver.quit()
for problem in problems:
    print("  -", problem, file=sys.stderr)
sys.exit(1 if problems else 0)
PY
if [ -n "$screenshot_out" ]; then
  # README-sized: 1000 px wide, 256 colours (Debian's python3 has PIL).
  /usr/bin/python3 - "$work/dashboard.png" "$screenshot_out" <<'PY'
import sys
from PIL import Image
image = Image.open(sys.argv[1]).convert("RGB")
image = image.resize((1000, round(image.height * 1000 / image.width)), Image.LANCZOS)
image.quantize(colors=256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE).save(sys.argv[2], optimize=True)
PY
  note "saved $screenshot_out ($(( $(stat -c %s "$screenshot_out") / 1024 )) KB)"
fi

# --- Ctrl-C -----------------------------------------------------------------------------------
kill -INT "$server"
for _ in $(seq 1 100); do kill -0 "$server" 2>/dev/null || break; sleep 0.1; done
kill -0 "$server" 2>/dev/null && fail "the server did not stop within 10 s of SIGINT"
set +e
wait "$server"; status=$?
set -e
[ "$status" -eq 0 ] || fail "the server exited $status after SIGINT, not 0: $(cat "$work/serve.err")"
echo "check-serve: OK: the dashboard follows a $total-run sweep live in Chromium; traversals 404, bad queries 400"
