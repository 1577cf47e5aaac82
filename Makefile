# factx developer tasks. Needs only python3 (>= 3.11) and GNU make.

VENV ?= .venv
PY = $(VENV)/bin/python
STAMP = $(VENV)/.installed

.PHONY: run test lint bench clean

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --upgrade pip
	$(PY) -m pip install -e '.[dev]'
	touch $@

run: $(STAMP)
	$(VENV)/bin/factx extract seeds/

test: $(STAMP) lint
	$(PY) -m pytest -q
	$(VENV)/bin/factx rules check examples/packs/*.yaml
	$(VENV)/bin/factx rules test -q
	$(VENV)/bin/factx rules test -q examples/packs/*.yaml

lint: $(STAMP)
	$(VENV)/bin/ruff check src tests scripts
	$(VENV)/bin/ruff format --check src tests scripts
	$(VENV)/bin/mypy

bench: $(STAMP)
	$(PY) scripts/bench.py

clean:
	rm -rf $(VENV) build dist .bench src/*.egg-info *.egg-info
	rm -rf .pytest_cache .mypy_cache .ruff_cache .hypothesis
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
