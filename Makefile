# Takeback: `make run` serves the site with a worker and beat; `make test` runs the whole suite.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
# XStatic-Bootstrap ships only a source package whose build needs setuptools' pkg_resources.
PIP_INSTALL := PIP_CONSTRAINT=constraints-build.txt $(BIN)/pip install --quiet --disable-pip-version-check

export DATABASE_URL_FOR_TESTS := $(or $(DATABASE_URL),postgres://postgres@127.0.0.1:5432/takeback)
export BROKER_URL_FOR_TESTS := $(or $(CELERY_BROKER_URL),redis://127.0.0.1:6379/0)

.PHONY: run test test-quick lint format bench messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.run-installed: requirements.txt constraints-build.txt | $(BIN)/python
	$(PIP_INSTALL) -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt constraints-build.txt | $(BIN)/python
	$(PIP_INSTALL) -r requirements-dev.txt
	touch $@ $(VENV)/.run-installed

# Build steps both commands need: compiled translations and collected static files.
messages:
	@command -v msgfmt >/dev/null || { echo "msgfmt not found: install GNU gettext (apt-get install gettext)"; exit 1; }
	@$(MANAGE) compilemessages --ignore=$(VENV) --verbosity=0
	@$(MANAGE) collectstatic --noinput --verbosity=0

run: $(VENV)/.run-installed messages
	@mkdir -p var/mail var/redis
	$(MANAGE) migrate --noinput --verbosity=0
	$(MANAGE) seed_campaign --update-letters
	@echo
	@echo "  Takeback:  http://127.0.0.1:$${TAKEBACK_PORT:-8000}/"
	@echo "  Mail:      every outgoing message is a file in var/mail/"
	@echo "  Admin:     $(MANAGE) createsuperuser, then http://127.0.0.1:$${TAKEBACK_PORT:-8000}/admin/"
	@echo "  Stop:      Ctrl-C stops the web server, the worker, beat and the broker (var/redis/)."
	@echo
	@# in_foreground.py: Ctrl-C stops honcho (which stops the rest), and make exits 0 quietly.
	PATH="$(abspath $(BIN)):$$PATH" $(BIN)/python scripts/in_foreground.py $(BIN)/honcho start --procfile Procfile

test: $(VENV)/.dev-installed messages
	DATABASE_URL=$(DATABASE_URL_FOR_TESTS) CELERY_BROKER_URL=$(BROKER_URL_FOR_TESTS) $(BIN)/pytest

# Everything but the tests that start servers, workers or a browser: for the edit-test loop.
test-quick: $(VENV)/.dev-installed messages
	DATABASE_URL=$(DATABASE_URL_FOR_TESTS) CELERY_BROKER_URL=$(BROKER_URL_FOR_TESTS) \
		$(BIN)/pytest -m "not processes and not browser" --no-cov

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.dev-installed
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(VENV)/.dev-installed messages
	$(BIN)/python -m bench

clean:
	rm -rf var
