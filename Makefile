# How CNNs see: the two commands of the README, and a few helpers.
#
#   make book   build the course website (installs what it needs first)
#   make test   run every test: unit tests, notebooks (nbval), book build, browser
#
# Everything is installed into a virtual environment in .venv (override with
# VENV=...; PYTHON=... picks the interpreter that creates it).

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
SITE   := _build/html
# Progress bars are for people running the notebooks, not for the website.
BUILD  := TQDM_DISABLE=1 $(BIN)/jupyter-book build . -W -n --keep-going

.PHONY: help book test unit notebooks site-test serve bench clean

help:
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

$(VENV)/.book: requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --upgrade pip
	$(BIN)/python -m pip install -r requirements.txt
	touch $@

$(VENV)/.test: $(VENV)/.book requirements-test.txt
	$(BIN)/python -m pip install -r requirements-test.txt
	touch $@

# MathJax is served by the site itself: npm installs it from package-lock.json.
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund

book: $(VENV)/.book node_modules/.package-lock.json ## Build the course website into _build/html and say where to open it
	$(BUILD)
	@echo
	@echo "The course is built. Open it in a browser:"
	@echo "    file://$(CURDIR)/$(SITE)/index.html"
	@echo "or serve it with:  make serve   (then visit http://localhost:8000)"

# Tests never touch the network: VGG16 runs with untrained weights.
test: export CNNCOURSE_WEIGHTS ?= random
test: $(VENV)/.test node_modules/.package-lock.json ## Run every test: unit tests, all notebooks (nbval), the book build (-W), the browser test
	$(MAKE) unit notebooks
	$(BUILD)
	$(MAKE) site-test

unit: $(VENV)/.test ## Unit and property tests of cnncourse
	$(BIN)/python -m pytest tests -m "not site"

notebooks: $(VENV)/.test ## Every notebook top to bottom in a fresh kernel (nbval, checked outputs)
	$(BIN)/python -m pytest --nbval-lax --nbval-current-env chapters

site-test: $(VENV)/.test ## The built website in headless Chromium (needs `make book` first)
	$(BIN)/python -m pytest tests -m site

serve: ## Serve the built website on http://localhost:8000
	$(BIN)/python -m http.server --directory $(SITE) 8000

bench: $(VENV)/.test ## Print the performance figures (ratios measured side by side)
	for script in benchmarks/bench_*.py; do $(BIN)/python $$script || exit 1; done

clean: ## Remove the build (keeps .venv)
	rm -rf _build test-artifacts
