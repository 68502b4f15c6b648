# Convenience targets; the README's two commands do not need make.
.PHONY: build test bench parity run

build:
	bash scripts/setup.sh
	swift build -c release

test:
	bash scripts/test.sh

run: build
	.build/release/popcode run configs/seeds.yaml

# Speed against the numpy baseline, sweep throughput, scheduler overhead, scale (queue add of
# 100,000 runs, 10,000-run sweeps with their compare and report), and the dashboard (minutes).
# Scale before the dashboard: bench-serve deletes 2,000 run folders at its end, and on ext4
# without a journal mass deletions slow every file creation for minutes (see bench-scale.py).
bench: build
	python3 scripts/bench.py
	python3 scripts/bench-scale.py
	python3 scripts/bench-serve.py

# End-to-end parity of the final metrics with the numpy references: seeds 0 and 1 of the
# reference config, then dipole-position and bars (200 epochs) and a 30-epoch mdl run.
parity: build
	python3 scripts/parity.py --seeds 0 1
