# Longcheng developer loop. Only Python 3.11 and pip are assumed on the machine.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
DEMO_DB ?= var/demo.sqlite3

.PHONY: demo test lint fix docs serve db-upgrade bench bench-smoke lock clean

$(STAMP): requirements/lock.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements/lock.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

venv: $(STAMP)

demo: $(STAMP)
	mkdir -p var
	LONGCHENG_DATABASE_URL=sqlite:///$(DEMO_DB) $(BIN)/longcheng demo --reset --host $(HOST) --port $(PORT)

test: $(STAMP)
	$(BIN)/python -m pytest -n 2 $(PYTEST_ARGS); rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests"; exit 1; fi; exit $$rc

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache

fix: $(STAMP)
	$(BIN)/ruff check --fix src tests bench
	$(BIN)/ruff format src tests bench

docs:
	$(PYTHON) scripts/docs_tree.py --write

serve: $(STAMP)
	$(BIN)/longcheng serve --host $(HOST) --port $(PORT)

db-upgrade: $(STAMP)
	$(BIN)/longcheng db upgrade

bench-smoke: $(STAMP)
	$(BIN)/python bench/smoke.py

lock:
	$(PYTHON) -m pip install --quiet uv
	$(PYTHON) -m uv pip compile pyproject.toml --extra dev --python-version 3.11 --no-header -o requirements/lock.txt

clean:
	rm -rf $(VENV) var .pytest_cache
