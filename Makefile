# Quick start: `make book` builds the website, `make test` runs the whole test suite,
# `make benchmarks` runs the benchmarks (not part of the suite).
# Both create a virtual environment in .venv and install what they need into it; `make test`
# also installs Debian's Chromium for the browser tests when it is missing.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
# The browser the site's tests drive (Playwright uses it; it downloads no browser of its own).
CHROMIUM := /usr/bin/chromium

.PHONY: book test benchmarks banks chromium clean release collect autograde feedback export

book: $(INSTALLED)
	$(BIN)/jupyter-book build . --warningiserror --keep-going

test: $(INSTALLED) chromium
	CHROMIUM=$(CHROMIUM) $(BIN)/python -m pytest

# The benchmarks (benchmarks/README.md): one table per script, results also in _build/benchmarks.md.
# torch==2.13.0 is their peer for the update rules; installed into .venv on first use.
BENCHMARKS := update_rules second_order book_build grading class_grading
benchmarks: $(INSTALLED)
	$(BIN)/python -c "import torch" 2>/dev/null || $(BIN)/python -m pip install --quiet torch==2.13.0
	mkdir -p _build
	rm -f _build/benchmarks.md
	cd benchmarks && for b in $(BENCHMARKS); do \
	  ../$(BIN)/python $$b.py > ../_build/benchmark-$$b.md || { cat ../_build/benchmark-$$b.md; exit 1; }; \
	  cat ../_build/benchmark-$$b.md | tee -a ../_build/benchmarks.md; echo >> ../_build/benchmarks.md; \
	done

# The banks of wrong and correct solutions (tests/banks.py), graded through the real pipeline:
# per problem set, wrong solutions failed / tried and correct ones passed / tried.
# `make banks SET=momentum` reports one problem set; without SET, every one that has banks.
banks: $(INSTALLED)
	$(BIN)/python tests/banks.py $(SET)

# The instructor's workflow for a problem set SET (README.md, "For instructors"), on the
# nbgrader course directory exercises/: e.g. `make autograde SET=hessian JOBS=2`.
GRADING := $(BIN)/python -m course_opt.grading
NEED_SET = @test -n "$(SET)" || { echo "name the problem set: make $@ SET=<problem set>"; exit 2; }
release: $(INSTALLED)
	$(NEED_SET)
	$(GRADING) release $(SET)
collect: $(INSTALLED)
	$(NEED_SET)
	@test -n "$(SRC)" || { echo "name the submissions: make collect SET=$(SET) SRC=<folder>"; exit 2; }
	$(GRADING) collect $(SET) "$(SRC)"
autograde: $(INSTALLED)
	$(NEED_SET)
	$(GRADING) autograde $(SET) $(if $(JOBS),--jobs $(JOBS)) $(if $(FORCE),--force)
feedback: $(INSTALLED)
	$(NEED_SET)
	$(GRADING) feedback $(SET)
export: $(INSTALLED)
	$(GRADING) export $(SET) $(if $(TO),--to "$(TO)")

# Reinstall whenever the declared dependencies or their pins change.
$(INSTALLED): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --constraint constraints.txt --editable ".[test]"
	touch $@

# Debian's chromium, installed only when missing. Where it cannot be installed (no apt-get,
# or not root) this says so and the browser tests skip, naming what is missing; a failed
# install where it could work stops `make test`.
chromium:
	@if [ -x $(CHROMIUM) ]; then :; \
	elif command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
	  echo "Installing Debian's chromium for the browser tests (apt-get)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null \
	    && test -x $(CHROMIUM); \
	else \
	  echo "$(CHROMIUM) is missing and cannot be installed here (needs apt-get as root):" \
	       "the browser tests will be skipped. See README.md, 'Browser tests'."; \
	fi

clean:
	rm -rf _build
