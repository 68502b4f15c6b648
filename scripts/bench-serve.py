#!/usr/bin/env python3
"""The dashboard's speed (`make bench` runs it after scripts/bench.py):

  1. server time (its Server-Timing header) of the index and the experiment page of a
     2,000-run experiment: while the server's start-up reading runs (pages answer at once
     with a 'reading' stand-in), how long until the experiment page has its runs; then the
     first request and the median of the next ones;
  2. the server's CPU (user + system, from /proc) while a page in headless Chromium watches
     a sweep that the queue is training, beside the 2,000-run experiment.

  python3 scripts/bench-serve.py [--runs 2000] [--watch 30] [--keep]

Needs .build/release/popcode and popcode-serve (`make build`), chromium, chromium-driver and
selenium (scripts/check-serve.sh installs them) for part 2.
"""
import argparse, os, re, shutil, signal, statistics, subprocess, sys, tempfile, time, urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, ".build", "release")
POPCODE = os.path.join(BIN, "popcode")


def start_server(runs):
    log = open(os.path.join(os.path.dirname(runs), "serve.out"), "w+")
    server = subprocess.Popen([POPCODE, "serve", "--runs-dir", runs, "--port", "0"], stdout=log,
                              stderr=subprocess.DEVNULL)
    for _ in range(200):
        log.seek(0)
        found = re.search(r"http://127\.0\.0\.1:\d+/", log.read())
        if found:
            return server, found.group(0)
        if server.poll() is not None:
            sys.exit("bench-serve: the server exited")
        time.sleep(0.1)
    sys.exit("bench-serve: the server printed no address")


def server_ms(url):
    with urllib.request.urlopen(url, timeout=120) as response:
        body = response.read()
        timing = response.headers.get("Server-Timing", "")
    found = re.search(r"dur=([0-9.]+)", timing)
    return float(found.group(1)), len(body)


def cpu_seconds(pid):
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def pages(address, runs, started):
    print(f"\n== Dashboard: server time of the pages of a {runs}-run experiment (Server-Timing)")
    # Pages asked for while the server's start-up reading is under way answer at once with a
    # 'reading' stand-in; this is how long until they carry the experiment's runs.
    asked, index_ms, page_ms = 0, [], []
    while True:
        ms, _ = server_ms(address)
        index_ms.append(ms)
        with urllib.request.urlopen(address + "experiments/many", timeout=120) as response:
            body = response.read()
            page_ms.append(float(re.search(r"dur=([0-9.]+)", response.headers.get("Server-Timing", "")).group(1)))
        asked += 1
        if b"Reading the run folders" not in body:
            break
        time.sleep(0.1)
    print(f"  while the start-up reading runs: {asked} index and experiment pages answered in at most "
          f"{max(index_ms):.1f} and {max(page_ms):.1f} ms; the experiment page had its runs, tables and plots "
          f"{time.monotonic() - started:.2f} s after the server printed its address")
    for name, path in [("index", ""), ("experiment page", "experiments/many"),
                       ("experiment live update, unchanged", None)]:
        if path is None:
            _, _ = server_ms(address + "experiments/many/live")
            with urllib.request.urlopen(address + "experiments/many/live", timeout=60) as r:
                version = re.search(rb'"v":"(\d+)"', r.read()).group(1).decode()
            url = address + f"experiments/many/live?v={version}"
        else:
            url = address + path
        first, size = server_ms(url)
        rest = [server_ms(url)[0] for _ in range(7)]
        print(f"  {name:36s}: first {first:7.1f} ms, then median {statistics.median(rest):7.1f} ms "
              f"({size / 1e6:.2f} MB)")


def watch(address, runs, seconds, work):
    print(f"\n== Dashboard: server CPU while a page watches a running sweep for {seconds} s")
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        print("  skipped: selenium is not importable here (`bash scripts/check-serve.sh` installs it, with"
              " chromium and chromium-driver)")
        return
    if not os.path.exists("/usr/bin/chromedriver"):
        print("  skipped: /usr/bin/chromedriver is missing (`apt-get install -y chromium chromium-driver`)")
        return
    options = webdriver.ChromeOptions()
    for argument in ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
                     f"--user-data-dir={work}/profile", "--window-size=1400,1000"]:
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    worker = subprocess.Popen([POPCODE, "queue", "run", "--runs-dir", runs, "--jobs", "1"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        driver.get(address + "experiments/watched")
        time.sleep(2)
        pid = SERVER.pid
        cpu0, t0 = cpu_seconds(pid), time.monotonic()
        time.sleep(seconds)
        cpu, wall = cpu_seconds(pid) - cpu0, time.monotonic() - t0
        done = driver.find_element("id", "count-completed").text
        print(f"  server CPU {cpu:.2f} s in {wall:.1f} s: {100 * cpu / wall:.2f} % of a core "
              f"(page polling every 2 s; {done} runs completed on the page meanwhile)")
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=60)
        driver.quit()


def main():
    global SERVER
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=2000)
    ap.add_argument("--watch", type=int, default=30)
    ap.add_argument("--keep", action="store_true")
    args = ap.parse_args()
    if not os.access(os.path.join(BIN, "popcode-serve"), os.X_OK):
        sys.exit("bench-serve: build first: swift build -c release (make build)")
    work = tempfile.mkdtemp(prefix="popcode-bench-serve-")
    runs = os.path.join(work, "runs")
    try:
        seeds = args.runs // 2
        with open(os.path.join(work, "many.yaml"), "w") as f:
            f.write(f"name: many\nseed: {{from: 0, to: {seeds - 1}}}\nsigma: [0.12, 0.18]\nepochs: 100\n"
                    "n_train: 32\nn_test: 32\nbatch_size: 32\nn_hidden: 27\n")
        with open(os.path.join(work, "watched.yaml"), "w") as f:
            f.write("name: watched\nseed: [0, 1, 2, 3, 4, 5, 6, 7]\nepochs: 200\nn_train: 1000\nn_test: 300\n")
        print(f"bench-serve: training {2 * seeds} tiny runs (100 epochs each) in {work}", file=sys.stderr)
        subprocess.run([POPCODE, "run", os.path.join(work, "many.yaml"), "--runs-dir", runs, "--quiet",
                        "--format", "csv"], check=True, stdout=subprocess.DEVNULL)
        subprocess.run([POPCODE, "queue", "add", os.path.join(work, "watched.yaml"), "--runs-dir", runs],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        SERVER, address = start_server(runs)
        started = time.monotonic()
        try:
            pages(address, 2 * seeds, started)
            if args.watch > 0:
                watch(address, runs, args.watch, work)
        finally:
            SERVER.send_signal(signal.SIGINT)
            SERVER.wait(timeout=30)
    finally:
        if args.keep:
            print(f"bench-serve: kept {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
