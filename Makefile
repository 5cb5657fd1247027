# Two commands for a new user: `make site` builds the site into site/, `make test` runs the tests.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
TSTAMP := $(VENV)/.installed-test

.PHONY: site test clean bench serve search-bench page-bench

site: $(STAMP)
	$(BIN)/python build.py

# The linter first (ruff, configured in pyproject.toml): a finding fails the tests, as in CI.
# The tests run on both cores, a test file to a process (pytest-xdist).
test: $(TSTAMP)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q -n 2 --dist loadfile

$(STAMP): requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

$(TSTAMP): $(STAMP) requirements-test.txt
	$(BIN)/python -m pip install --quiet -r requirements-test.txt
	touch $@

clean:
	rm -rf site build .pytest_cache

# Search relevance benchmark: `make search-bench [QUERIES=file.tsv] [ENGINE=pagefind|material|both]`
# builds the site into build/bench-<engine>/ when needed and types each query in headless chromium.
QUERIES ?= search/queries.tsv
ENGINE  ?= pagefind

search-bench: $(TSTAMP)
	$(BIN)/python tools/search_bench.py --queries $(QUERIES) --engine $(ENGINE)

# Build-speed benchmark (not a test): 7 rounds taking turns, as ratios to a plain mkdocs build.
bench: $(STAMP)
	$(BIN)/python tools/bench.py --runs 7

# Live preview on http://127.0.0.1:8000/, rebuilding when any input of the build changes.
serve: $(STAMP)
	$(BIN)/python tools/serve.py --port 8000

# Page benchmark (not a test): Lighthouse mobile on one page of each kind, medians of 3 runs.
# Installs Lighthouse (npm, pinned in tools/page-bench) into build/page-bench, not into .venv.
# `make page-bench GZIP=1` serves text files compressed, as most web hosts do.
page-bench: $(STAMP)
	$(BIN)/python tools/page_bench.py --runs 3 $(if $(GZIP),--gzip)
