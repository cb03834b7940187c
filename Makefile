# Shortcuts for the README's two commands (`bash scripts/demo.sh`, `python3 -m pytest -q`) and the
# measuring scripts.
.PHONY: demo test lint eval bench samples

demo:
	bash scripts/demo.sh

test:
	python3 -m pytest -q

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
