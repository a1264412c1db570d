# VirtQuest — two commands: `make run` starts the app, `make test` runs the whole suite headless.
# Both create .venv on first use and check the system prerequisites (Qt's libraries, a Korean font).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test sysdeps lint bench docs translations clean

run: sysdeps $(STAMP)
	$(BIN)/virtquest

test: sysdeps $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q

sysdeps:
	@bash scripts/check-system.sh

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	@# setuptools warns (UserWarning) that an editable install maps assets/ and levels/ into the package
	PYTHONWARNINGS=ignore::UserWarning $(BIN)/python -m pip install -q -e '.[test]'
	@touch $(STAMP)

lint: $(STAMP)
	$(BIN)/ruff check virtquest tests
	$(BIN)/lint-imports
	$(BIN)/vulture

bench: $(STAMP)
	$(BIN)/virtquest bench

docs: $(STAMP)
	$(BIN)/python -m virtquest.emu.isadoc > docs/isa.md

clean:
	rm -rf $(VENV) .pytest_cache

translations: $(STAMP)
	$(BIN)/python scripts/translations.py
