# factx developer tasks. Needs only python3 (>= 3.11) and GNU make; `make chromium` (as root, or
# with sudo) adds the browser the HTML report's test runs in.

VENV ?= .venv
PY = $(VENV)/bin/python
STAMP = $(VENV)/.installed

.PHONY: run test lint bench chromium check-chromium clean

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --upgrade pip
	$(PY) -m pip install -e '.[dev]'
	touch $@

run: $(STAMP)
	$(VENV)/bin/factx extract seeds/

test: $(STAMP) lint check-chromium
	$(PY) -m pytest -q
	$(VENV)/bin/factx rules check examples/packs/*.yaml
	$(VENV)/bin/factx rules test -q
	$(VENV)/bin/factx rules test -q examples/packs/*.yaml

lint: $(STAMP)
	$(VENV)/bin/ruff check src tests scripts
	$(VENV)/bin/ruff format --check src tests scripts
	$(VENV)/bin/mypy

# The HTML report is tested in a real headless Chromium (Debian's chromium and chromium-driver, and
# a CJK font so that the page's screenshot shows Chinese). The test fails without them; this says how
# to get them before the suite starts.
check-chromium:
	@command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1 || { \
	  echo "make test needs Chromium for the HTML report test: run 'make chromium'" \
	       "(apt-get install chromium chromium-driver fonts-noto-cjk, as root or with sudo)." >&2; exit 1; }

chromium:
	@if dpkg -s chromium chromium-driver fonts-noto-cjk >/dev/null 2>&1; then \
	  echo "chromium, chromium-driver and fonts-noto-cjk are installed"; \
	else \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update && $$SUDO apt-get install -y --no-install-recommends chromium chromium-driver fonts-noto-cjk; \
	fi

bench: $(STAMP)
	$(PY) scripts/bench.py
	$(PY) scripts/bench_inputs.py
	$(PY) scripts/bench_diff.py
	$(PY) scripts/bench_audit.py

clean:
	rm -rf $(VENV) build dist .bench src/*.egg-info *.egg-info
	rm -rf .pytest_cache .mypy_cache .ruff_cache .hypothesis
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
