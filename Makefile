# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
# Two stamps: running needs the project alone; the tests add their tools and, where it can be
# installed, a Matrix homeserver. The test install is a superset, so it renews both stamps.
RUN_STAMP  := $(VENV)/.installed-run
TEST_STAMP := $(VENV)/.installed

.PHONY: run test demo pnbot lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall only when the project's metadata changes.
$(RUN_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $(RUN_STAMP)

# The synapse extra (the Matrix tests' homeserver) is tried after: where it cannot be
# installed, those tests skip.
$(TEST_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	$(BIN)/python -m pip install --quiet -e '.[test,synapse]' || echo "matrix-synapse not installed: the Matrix tests will skip"
	touch $(TEST_STAMP) $(RUN_STAMP)

run: $(RUN_STAMP)
	$(BIN)/pnbot run

test: $(TEST_STAMP)
	$(BIN)/python -m pytest -n 2 --dist loadgroup $(PYTEST_ARGS)

demo: $(RUN_STAMP)
	$(BIN)/pnbot --database sqlite:// console --script examples/month.txt

lint: $(TEST_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: $(TEST_STAMP)
	$(BIN)/python bench/run.py

# Any pnbot command without the venv's path: make pnbot ARGS="doctor"
pnbot: $(RUN_STAMP)
	@$(BIN)/pnbot $(ARGS)

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
