# Everything runs from a local virtualenv built from PyPI on first use.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck docs bench clean

$(STAMP): pyproject.toml setup.py
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	@echo "== flake8 --select WSU examples/legacy_app"
	-@$(BIN)/flake8 --select WSU examples/legacy_app
	@echo
	@echo "== wsu check --show-fixes examples/legacy_app"
	-@$(BIN)/wsu check --no-cache --output-format full --unsafe-fixes examples/legacy_app
	@echo
	@echo "== wsu check --diff --unsafe-fixes examples/legacy_app (nothing is written)"
	-@$(BIN)/wsu check --no-cache --diff --unsafe-fixes examples/legacy_app

lint: $(STAMP)
	$(BIN)/ruff format --check lint_plugin websockets_impl tests benchmarks
	$(BIN)/ruff check lint_plugin websockets_impl tests benchmarks
	$(BIN)/mypy

docs: $(STAMP)
	$(BIN)/python -m lint_plugin.docs_gen

test: $(STAMP) lint
	$(BIN)/python -m pytest -n 2 -q -p no:cacheprovider

bench: $(STAMP)
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) .wsu_cache build *.egg-info
