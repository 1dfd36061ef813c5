# The two commands a newcomer needs: `make run` and `make test`. See README.md.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed
# Python 3.12+ (Django 6.1 needs it). Override with: make run PYTHON=/path/to/python3.13
PYTHON ?=
# make run's web server port: make run PORT=8001
PORT ?= 8000

.PHONY: help run test lint format migrations-check screenshots install clean messages

help:
	@echo "make run               install, migrate, load the India–Japan data, serve on http://127.0.0.1:8000 with a worker"
	@echo "make test              the whole test suite (SQLite, or DATABASE_URL if set)"
	@echo "make lint              ruff check and ruff format --check"
	@echo "make migrations-check  fail if a model change has no migration"
	@echo "make messages          add newly marked strings to the Japanese and Hindi catalogues"
	@echo "make screenshots       regenerate docs/screenshots/*.png (throwaway database, Chromium)"

$(PY):
	@py="$(PYTHON)"; ok='import sys; sys.exit(sys.version_info < (3, 12))'; \
	if [ -n "$$py" ]; then \
	  "$$py" -c "$$ok" >/dev/null 2>&1 || { echo "error: PYTHON=$$py is not a Python 3.12 or newer (Django 6.1 needs one)." >&2; exit 1; }; \
	else \
	  for c in python3 python3.13 python3.12 $$(ls -d $$HOME/.pyenv/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -rV); do \
	    if "$$c" -c "$$ok" >/dev/null 2>&1; then py=$$c; break; fi; \
	  done; \
	  [ -n "$$py" ] || { echo "error: no Python 3.12 or newer found (Django 6.1 needs one); install one or run make PYTHON=/path/to/python3.12" >&2; exit 1; }; \
	fi; \
	echo "Creating $(VENV) with $$("$$py" -c 'import sys; print(sys.executable, sys.version.split()[0])')"; \
	"$$py" -m venv $(VENV)

$(STAMP): pyproject.toml | $(PY)
	@$(PY) -c 'import sys; sys.exit(sys.version_info < (3, 12))' || { echo "error: $(VENV) uses Python < 3.12; remove it (make clean) and run again." >&2; exit 1; }
	$(PY) -m pip install --quiet --disable-pip-version-check '.[dev]'
	@touch $(STAMP)

# Interface translations: each locale/<code>/LC_MESSAGES/django.po compiled to its .mo with
# Babel (a dependency), so no gettext tools are needed to install or run.
PO := $(wildcard locale/*/LC_MESSAGES/django.po)
MO := $(PO:.po=.mo)

locale/%/LC_MESSAGES/django.mo: locale/%/LC_MESSAGES/django.po $(STAMP)
	$(BIN)/pybabel -q compile --input-file $< --output-file $@

install: $(STAMP) $(MO)

# Ends with the web server and one background worker (imports): Ctrl-C stops both.
run: install
	DEBUG=1 $(PY) manage.py migrate --noinput
	DEBUG=1 $(PY) manage.py load_demo
	DEBUG=1 $(PY) manage.py serve --port $(PORT)

test: install
	DEBUG=1 $(BIN)/pytest $(PYTEST_ARGS)

# After marking new strings: add them to the Japanese and Hindi catalogues (needs gettext's
# xgettext: apt-get install gettext), then translate the new empty entries.
messages: install
	DEBUG=1 $(PY) manage.py makemessages --no-obsolete --add-location file -l ja -l hi

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

migrations-check: install
	DEBUG=1 $(PY) manage.py makemigrations --check --dry-run

screenshots: install
	$(PY) docs/make_screenshots.py

clean:
	rm -rf $(VENV) *.egg-info
