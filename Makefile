# Convenience targets; the README's two commands do not need make.
.PHONY: build test bench parity run

build:
	bash scripts/setup.sh
	swift build -c release

test:
	bash scripts/test.sh

run: build
	.build/release/popcode run configs/seeds.yaml

# Speed against the numpy baseline, sweep throughput, scheduler overhead (minutes).
bench: build
	python3 scripts/bench.py

# End-to-end parity of the final metrics with the numpy baseline, seeds 0 and 1.
parity: build
	python3 scripts/parity.py --seeds 0 1
