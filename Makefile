# Missend Desk: `make run` serves the demo, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PYTEST_ARGS ?=
# `make bench BENCH_ARGS="--quick"` (a few minutes), or --database URL to reuse a seeded database.
BENCH_ARGS ?=
# `make run PORT=8080 HOST=0.0.0.0`; links in emails follow unless SITE_URL is set.
HOST ?= 127.0.0.1
PORT ?= 8000
# The desk mail receiver (forward a mis-sent email to desk@localhost), on 127.0.0.1; 0 turns it off.
MAIL_PORT ?= 8025
ADDRPORT = $(if $(findstring :,$(HOST)),[$(HOST)],$(HOST)):$(PORT)

# Catalogues: the .po files are committed, the .mo files are built from them (no Debian gettext needed).
MO_FILES := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/*.po))
# What `make messages` leaves out; tests/test_catalogue.py reads this line to extract the same way.
MESSAGES_IGNORE := --ignore=tests --ignore=bench --ignore=var --ignore=templates/emails/drafts

.PHONY: run test lint install clean messages bench

$(STAMP): requirements.txt build-constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check pip==26.3
	$(PY) -m pip install --quiet --disable-pip-version-check --build-constraint build-constraints.txt -r requirements.txt
	touch $(STAMP)

install: $(STAMP)

locale/%.mo: locale/%.po $(STAMP)
	$(VENV)/bin/pybabel compile --statistics -i $< -o $@

# Update locale/*/LC_MESSAGES/django.po from the code and templates (needs xgettext: apt-get install gettext),
# then translate what is new; `make test` says which messages are missing.
messages: $(STAMP)
	$(PY) manage.py makemessages -l zh_Hans --add-location=file --no-wrap --no-obsolete $(MESSAGES_IGNORE)

run: $(STAMP) $(MO_FILES)
	DEBUG=1 $(PY) manage.py migrate --noinput
	DEBUG=1 $(PY) manage.py seed_demo
	@if [ "$(MAIL_PORT)" = "0" ]; then echo "Missend Desk on http://$(ADDRPORT) (desk mail receiver off; Ctrl-C stops all)"; \
	else echo "Missend Desk on http://$(ADDRPORT) (mail for desk@localhost on 127.0.0.1:$(MAIL_PORT); Ctrl-C stops all)"; fi
	MAIL_PORT=$(MAIL_PORT) DEBUG=1 $(PY) manage.py devserver $(ADDRPORT)

# Style (ruff) and the app's layers (import-linter, contracts in pyproject.toml); `make test` runs them first.
lint: $(STAMP)
	$(VENV)/bin/ruff check --quiet .
	$(VENV)/bin/ruff format --check --quiet .
	$(VENV)/bin/lint-imports --no-cache

test: lint $(MO_FILES)
	$(PY) -m pytest -n auto $(PYTEST_ARGS)

# Every benchmark in bench/ against 100,000 seeded incidents on PostgreSQL (127.0.0.1:5432) with gunicorn, a
# Celery worker on a private redis-server and a 10-minute soak: about 20 minutes; one table, also in var/bench/latest.md.
bench: $(STAMP) $(MO_FILES)
	$(PY) bench/run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var .pytest_cache $(MO_FILES)
