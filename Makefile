# The two commands of the README. `make demo` installs everything and checks the bundled samples;
# `make test` runs the test suite (what CI runs after lint and type checks).
.PHONY: demo test lint eval bench samples

demo:
	bash scripts/install.sh
	preverif run samples/dossiers --reference-date 2026-11-27 --html reports/ --json reports/ --csv reports/resume.csv

test:
	OMP_THREAD_LIMIT=1 python3 -m pytest -q

lint:
	python3 -m ruff check src tests scripts
	python3 -m ruff format --check src tests scripts
	python3 -m mypy

samples:
	python3 scripts/make_samples.py --seed 1000 --count 60 --out corpus/seed1000

eval:
	python3 scripts/evaluate.py corpus/seed1000

bench:
	python3 scripts/bench.py
