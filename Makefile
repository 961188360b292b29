# Two commands a new user needs (see README.md):
#   make serve   set everything up, build the site strictly, serve it on 127.0.0.1:8000
#   make test    set everything up, run every check (ruff, API staleness, site build, pytest)
# Every step is a file target, so a second run only redoes what changed.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DOCS_STAMP := $(VENV)/.docs-installed
TEST_STAMP := $(VENV)/.test-installed
MUTATE_STAMP := $(VENV)/.mutate-installed
# Holds the path of the clone that .venv's editable install of nanokeras names.
INSTALL_STAMP := $(VENV)/.nanokeras-installed
MERMAID := docs/assets/javascripts/mermaid.min.js
# The real Keras the site compares against: the keras 2.6.0 and 3.15.1 wheels
# from PyPI, sha256-checked and unpacked under .cache/reference/ (read, never
# imported). The pins live in scripts/realkeras/sources.py.
REFERENCE := .cache/reference/.fetched
export NO_MKDOCS_2_WARNING := 1
# mkdocs-gen-files and literate-nav pull in properdocs, which prints its own banner.
export DISABLE_MKDOCS_2_WARNING := true
# The library needs no PYTHONPATH: .venv holds an editable install of this clone.
# The checks still put this checkout first, so they test its own files even when
# .venv is shared with another checkout whose install it names.
CHECKOUT := PYTHONPATH=$(CURDIR)

.PHONY: serve test site lint api-check pytest browser-deps clean mutate

serve: $(DOCS_STAMP) $(INSTALL_STAMP) $(MERMAID) $(REFERENCE)
	$(BIN)/mkdocs serve --strict --dirty --dev-addr 127.0.0.1:8000

test: $(TEST_STAMP) $(INSTALL_STAMP) $(MERMAID) browser-deps lint api-check site pytest

site: $(DOCS_STAMP) $(INSTALL_STAMP) $(MERMAID) $(REFERENCE)
	$(CHECKOUT) $(BIN)/mkdocs build --strict --site-dir site

lint: $(TEST_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(CHECKOUT) $(BIN)/lint-imports

api-check: $(DOCS_STAMP)
	$(CHECKOUT) $(BIN)/python scripts/gen_api.py --check

pytest: $(TEST_STAMP) $(INSTALL_STAMP) $(MERMAID) $(REFERENCE) browser-deps
	$(CHECKOUT) NANOKERAS_SITE_DIR=$(CURDIR)/site $(BIN)/python -m pytest

# Mutation testing of the core ([tool.mutmut] in pyproject.toml): slow, so not
# part of `make test`; run it on what a change touched, e.g.
#   make mutate MUTANTS='backend.tape.*'
# One worker at low priority: the machine stays usable. Results stay in mutants/
# (a second run only redoes what changed); tests/MUTATION.md lists the survivors
# that no test can kill.
mutate: $(MUTATE_STAMP) $(INSTALL_STAMP)
	nice -n 10 $(BIN)/mutmut run --max-children 1 $(MUTANTS)
	$(BIN)/mutmut results

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(DOCS_STAMP): requirements/docs.txt requirements/constraints.txt | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet -r requirements/docs.txt
	touch $@

$(TEST_STAMP): requirements/test.txt $(DOCS_STAMP)
	$(BIN)/python -m pip install --quiet -r requirements/test.txt
	touch $@

$(MUTATE_STAMP): requirements/mutate.txt $(TEST_STAMP)
	$(BIN)/python -m pip install --quiet -r requirements/mutate.txt
	touch $@

# nanokeras itself, as any user installs it (README): an editable install whose
# only file in site-packages is a .pth naming this clone, so `import nanokeras`
# works in any folder, script or notebook kernel of .venv. Redone when the
# packaging changes or .venv's install names another folder (a moved clone).
$(INSTALL_STAMP): pyproject.toml scripts/hatch_build.py $(DOCS_STAMP)
	$(BIN)/python -m pip install --quiet -c requirements/constraints.txt -e .
	echo "$(CURDIR)" > $@
ifneq ($(file < $(INSTALL_STAMP)),$(CURDIR))
.PHONY: $(INSTALL_STAMP)
endif

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
	# What the site reads of each release, read once now, not by the build.
	$(BIN)/python -m scripts.realkeras.facts keras2 keras3
	touch $@

# Browser tests drive Debian's chromium (a test tool's own browser download
# cannot work offline).
browser-deps:
	@test -x /usr/bin/chromium || { \
		echo "Installing Debian's chromium for the browser tests"; \
		apt-get update -qq && apt-get install -y -qq chromium; }

clean:
	rm -rf site node_modules $(MERMAID) .pytest_cache .ruff_cache .cache mutants
