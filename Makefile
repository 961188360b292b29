# Two commands a new user needs (see README.md):
#   make serve   set everything up, build the site strictly, serve it on 127.0.0.1:8000
#   make test    set everything up, run every check (ruff, API staleness, site build, pytest)
# Every step is a file target, so a second run only redoes what changed.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DOCS_STAMP := $(VENV)/.docs-installed
TEST_STAMP := $(VENV)/.test-installed
MERMAID := docs/assets/javascripts/mermaid.min.js
# The real Keras the site compares against: the keras 2.6.0 and 3.15.1 wheels
# from PyPI, sha256-checked and unpacked under .cache/reference/ (read, never
# imported). The pins live in scripts/realkeras/sources.py.
REFERENCE := .cache/reference/.fetched
export NO_MKDOCS_2_WARNING := 1
# mkdocs-gen-files and literate-nav pull in properdocs, which prints its own banner.
export DISABLE_MKDOCS_2_WARNING := true
export PYTHONPATH := $(CURDIR)

.PHONY: serve test site lint api-check pytest browser-deps clean

serve: $(DOCS_STAMP) $(MERMAID) $(REFERENCE)
	$(BIN)/mkdocs serve --strict --dirty --dev-addr 127.0.0.1:8000

test: $(TEST_STAMP) $(MERMAID) browser-deps lint api-check site pytest

site: $(DOCS_STAMP) $(MERMAID) $(REFERENCE)
	$(BIN)/mkdocs build --strict --site-dir site

lint: $(TEST_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

api-check: $(DOCS_STAMP)
	$(BIN)/python scripts/gen_api.py --check

pytest: $(TEST_STAMP) $(MERMAID) $(REFERENCE) browser-deps
	NANOKERAS_SITE_DIR=$(CURDIR)/site $(BIN)/python -m pytest

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(DOCS_STAMP): requirements/docs.txt requirements/constraints.txt | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet -r requirements/docs.txt
	touch $@

$(TEST_STAMP): requirements/test.txt $(DOCS_STAMP)
	$(BIN)/python -m pip install --quiet -r requirements/test.txt
	touch $@

# mermaid.js is served by the site itself (no CDN): npm fetches the version
# pinned in package-lock.json and the file is copied next to the docs.
$(MERMAID): package.json package-lock.json
	@command -v npm >/dev/null || { \
		echo "Installing Debian's npm to fetch the pinned mermaid.js"; \
		apt-get update -qq && apt-get install -y -qq npm; }
	npm ci --no-audit --no-fund --loglevel=error
	mkdir -p $(dir $@)
	cp node_modules/mermaid/dist/mermaid.min.js $@

$(REFERENCE): scripts/realkeras/sources.py | $(DOCS_STAMP)
	$(BIN)/python -m scripts.realkeras.sources
	touch $@

# Browser tests drive Debian's chromium (a test tool's own browser download
# cannot work offline).
browser-deps:
	@test -x /usr/bin/chromium || { \
		echo "Installing Debian's chromium for the browser tests"; \
		apt-get update -qq && apt-get install -y -qq chromium; }

clean:
	rm -rf site node_modules $(MERMAID) .pytest_cache .ruff_cache .cache
