# Missend Desk: `make run` serves the demo, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PYTEST_ARGS ?=
# `make run PORT=8080 HOST=0.0.0.0`; links in emails follow unless SITE_URL is set.
HOST ?= 127.0.0.1
PORT ?= 8000
# The desk mail receiver (forward a mis-sent email to desk@localhost), on 127.0.0.1; 0 turns it off.
MAIL_PORT ?= 8025
ADDRPORT = $(if $(findstring :,$(HOST)),[$(HOST)],$(HOST)):$(PORT)

.PHONY: run test install clean

$(STAMP): requirements.txt build-constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check pip==26.3
	$(PY) -m pip install --quiet --disable-pip-version-check --build-constraint build-constraints.txt -r requirements.txt
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	DEBUG=1 $(PY) manage.py migrate --noinput
	DEBUG=1 $(PY) manage.py seed_demo
	@echo "Missend Desk on http://$(ADDRPORT) (mail for desk@localhost on 127.0.0.1:$(MAIL_PORT); Ctrl-C stops all)"
	MAIL_PORT=$(MAIL_PORT) DEBUG=1 $(PY) manage.py devserver $(ADDRPORT)

test: $(STAMP)
	$(PY) -m pytest -n auto $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) var .pytest_cache
