# Quick start: `make book` builds the website, `make test` runs the whole test suite.
# Both create a virtual environment in .venv and install what they need into it.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

.PHONY: book test clean

book: $(INSTALLED)
	$(BIN)/jupyter-book build . --warningiserror --keep-going

test: $(INSTALLED)
	$(BIN)/python -m pytest

# Reinstall whenever the declared dependencies or their pins change.
$(INSTALLED): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --constraint constraints.txt --editable ".[test]"
	touch $@

clean:
	rm -rf _build
