# Everything runs from a local virtualenv built from PyPI on first use.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LIBRARY := distributions/websockets-impl

.PHONY: demo test lint typecheck docs site dist bench clean

# One editable environment for development: the linter (this directory's pyproject.toml)
# and the library (its own distribution) both import from the working tree.
$(STAMP): pyproject.toml $(LIBRARY)/pyproject.toml $(LIBRARY)/setup.py
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]' -e $(LIBRARY)
	touch $(STAMP)

demo: $(STAMP)
	@echo "== flake8 --select WSU examples/legacy_app"
	-@$(BIN)/flake8 --select WSU examples/legacy_app
	@echo
	@echo "== wsu check --output-format full --unsafe-fixes examples/legacy_app"
	@echo "   (the app pins websockets>=10.1,<14 in its requirements.txt: fixes whose"
	@echo "   replacement needs a newer websockets are shown, not offered)"
	-@$(BIN)/wsu check --no-cache --output-format full --unsafe-fixes examples/legacy_app
	@echo
	@echo "== wsu check --diff --unsafe-fixes --target-version 14.0 examples/legacy_app"
	@echo "   (the fixes the upgrade to websockets 14 allows; nothing is written)"
	-@$(BIN)/wsu check --no-cache --diff --unsafe-fixes --target-version 14.0 examples/legacy_app

lint: $(STAMP)
	$(BIN)/ruff format --check lint_plugin websockets_impl tests benchmarks tools
	$(BIN)/ruff check lint_plugin websockets_impl tests benchmarks tools
	$(BIN)/mypy

docs: $(STAMP)
	$(BIN)/python -m lint_plugin.docs_gen
	$(BIN)/python -m tools.sync_deprecations

# The documentation site (docs/ -> site/); --strict turns every broken link into an error.
site: $(STAMP)
	$(BIN)/mkdocs build --strict --quiet

# Both distributions' sdists and wheels, in dist/.
dist: $(STAMP)
	$(BIN)/python -m build --no-isolation --outdir dist .
	$(BIN)/python -m build --no-isolation --outdir dist $(LIBRARY)

# The packaging tests (tests/packaging) build both distributions, install each into a clean
# virtualenv and smoke-test it.
test: $(STAMP) lint site
	$(BIN)/python -m pytest -n 2 -q -p no:cacheprovider

bench: $(STAMP)
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) .wsu_cache build dist site *.egg-info $(LIBRARY)/*.egg-info $(LIBRARY)/build
