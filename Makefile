# How CNNs see: the two commands of the README, and a few helpers.
#
#   make book   build the course website, English and Chinese (installs what it needs first)
#   make test   run every test: unit tests, widget tests on ipywidgets 7, notebooks (nbval), book build, browser
#
# Everything is installed into a virtual environment in .venv (override with
# VENV=...; PYTHON=... picks the interpreter that creates it), from a lock file
# that pins every package: LOCK=requirements.lock by default (PyTorch from
# PyPI); the GitHub workflows use LOCK=requirements-cpu.lock (CPU-only PyTorch),
# and the weekly check of the newest releases LOCK=requirements-test.txt.
# `make lock` writes the lock files again (tools/lock.py).

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
SITE   := _build/html
LOCK   ?= requirements.lock
BUILD  := $(BIN)/jupyter-book build . -W -n --keep-going
# The Chinese edition (zh/, written from locales/ by tools/i18n.py) is built
# beside the English one, at the same time (its log goes to _build/zh.log), and
# copied into the English site as _build/html/zh. Both share one jupyter-cache folder; the
# first to start creates its database, the other waits (_ext/build_cache.py, prepare_cache).
BUILD_ZH  := CNNCOURSE_I18N_STRICT=1 $(BIN)/jupyter-book build zh -W -n --keep-going --path-output _build/zh
BUILD_ALL := rm -rf $(SITE)/zh && $(BIN)/python tools/i18n.py build && mkdir -p _build && \
            { $(BUILD_ZH) > _build/zh.log 2>&1 & zh=$$!; $(BUILD); en=$$?; wait $$zh; zh=$$?; \
              echo "Chinese edition: see _build/zh.log"; [ $$zh -eq 0 ] || tail -n 40 _build/zh.log; \
              [ $$en -eq 0 ] && [ $$zh -eq 0 ]; } && \
            cp -r _build/zh/_build/html $(SITE)/zh
STAMP  := $(VENV)/.installed-$(notdir $(LOCK))
# pytest-xdist: unit tests, notebooks and browser tests share out over the CPU cores
# (JOBS=auto; JOBS=0 runs them in one process). PyTorch then computes on one
# thread in each process (and each notebook's kernel), so they do not compete for the cores.
JOBS   ?= auto
ONE_THREAD := $(if $(filter 0,$(JOBS)),,OMP_NUM_THREADS=1)
# The widget tests run twice: with the lock's ipywidgets 8, and with Colab's
# ipywidgets 7 (requirements-widgets7.txt) in a small venv over .venv.
WIDGET_TESTS := tests/test_widgets_convolution.py tests/test_pooling_widget.py \
                tests/test_activations_widget.py tests/test_explorers.py tests/test_attribution_explorer.py

.PHONY: help install book test unit widgets7 notebooks site-test lab-test serve bench lock zh clean

help:
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

install: $(STAMP) ## Install the pinned packages (LOCK=requirements.lock) and the course's package into .venv

$(STAMP): $(LOCK) pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --upgrade pip
	$(BIN)/python -m pip install --no-compile -r $(LOCK)
	@# The bytecode pip would write file by file (80 s here), on every core at once; like pip, it
	@# skips the files that do not compile (a module of torch's tests is written for Python 3.12).
	$(BIN)/python -m compileall -q -j 0 $(VENV)/lib > /dev/null || true
	rm -f $(VENV)/.installed-*
	touch $@

# MathJax is served by the site itself: npm installs it from package-lock.json.
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund

book: $(STAMP) node_modules/.package-lock.json ## Build the course website (English, and Chinese in _build/html/zh) and say where to open it
	$(BUILD_ALL)
	@echo
	@echo "The course is built. Open it in a browser:"
	@echo "    file://$(CURDIR)/$(SITE)/index.html      (中文版: file://$(CURDIR)/$(SITE)/zh/index.html)"
	@echo "or serve it with:  make serve   (then visit http://localhost:8000)"

# Tests never touch the network: VGG16 runs with untrained weights.
# `make test` keeps its executed notebooks apart from `make book`'s (it runs them
# with untrained weights): nbval stores each notebook it ran without a failure
# in that cache, and the book build takes them from there instead of running
# every notebook a second time (conftest.py, _ext/build_cache.py).
test: export CNNCOURSE_WEIGHTS ?= random
test: export CNNCOURSE_JUPYTER_CACHE ?= _build/.jupyter_cache-test
test: $(STAMP) node_modules/.package-lock.json ## Run every test: unit tests, widgets on ipywidgets 7, all notebooks (nbval), the book build (-W), the browser test
	$(MAKE) unit widgets7
	$(MAKE) notebooks NBVAL_OPTIONS=--book-cache=$(CNNCOURSE_JUPYTER_CACHE)
	$(BUILD_ALL)
	$(MAKE) site-test

unit: $(STAMP) ## Unit and property tests of cnncourse, and the examples in the docstrings of cnncourse and _ext
	$(ONE_THREAD) $(BIN)/python -m pytest tests cnncourse _ext --doctest-modules -m "not site" -n $(JOBS)

widgets7: $(STAMP) ## The widget tests again with ipywidgets 7 (Colab's), in .venv-widgets7 layered over .venv
	$(BIN)/python tools/widgets7.py --venv $(VENV)-widgets7 $(WIDGET_TESTS)

# The Chinese notebooks run strict: a label cnncourse cannot translate is an error.
notebooks: $(STAMP) ## Every notebook, English and Chinese, top to bottom in a fresh kernel (nbval, checked outputs)
	CNNCOURSE_I18N_STRICT=1 $(ONE_THREAD) $(BIN)/python -m pytest \
	    -n $(JOBS) --dist loadscope --nbval-lax --nbval-current-env chapters zh/chapters $(NBVAL_OPTIONS)

site-test: $(STAMP) ## The built website in headless Chromium (needs `make book` first)
	$(BIN)/python -m pytest tests -m site -n $(JOBS) --dist loadgroup

lab-test: $(STAMP) ## Every chapter of both editions in a real JupyterLab: Run All, then the text shows the run's values (8 min)
	CNNCOURSE_LAB_EVERY_CHAPTER=1 CNNCOURSE_WEIGHTS=random $(BIN)/python -m pytest tests/test_jupyterlab.py -m site \
	    -n $(JOBS) --dist loadgroup

serve: ## Serve the built website on http://localhost:8000
	$(BIN)/python -m http.server --directory $(SITE) 8000

bench: $(STAMP) ## Print the performance figures (ratios measured side by side)
	for script in benchmarks/bench_*.py; do $(BIN)/python $$script || exit 1; done

lock: $(STAMP) ## Pin every package again: requirements.lock, requirements-cpu.lock, binder/requirements.txt
	$(BIN)/python -m pip install --quiet uv
	$(BIN)/python tools/lock.py

zh: $(STAMP) ## The Chinese edition: refresh the catalogs from the English pages, say what needs translating
	$(BIN)/python tools/i18n.py update
	$(BIN)/python tools/i18n.py stats
	$(BIN)/python tools/i18n.py check

clean: ## Remove the build (keeps .venv)
	rm -rf _build test-artifacts
