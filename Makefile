# Minsheng — the two commands: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
export DJANGO_SETTINGS_MODULE ?= portal.settings.local

export PORT
.PHONY: run stop test install install-runtime migrate seed seed-city messages compilemessages lint fuzz load bench clean

# What runs the portal (make run, the Docker image) and, on top, what tests and lints it (make test).
# --no-compile: Python compiles each module when first imported; compiling all at install took 15 s.
$(VENV)/.installed-runtime: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --no-compile --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.installed: $(VENV)/.installed-runtime requirements-dev.txt
	$(PY) -m pip install --quiet --no-compile --disable-pip-version-check -r requirements-dev.txt
	touch $@

install-runtime: $(VENV)/.installed-runtime
install: $(VENV)/.installed

compilemessages: install-runtime
	$(PY) manage.py compilemessages --ignore=.venv -v0

messages: install
	$(PY) manage.py makemessages -l zh_Hans -l en --ignore=.venv --ignore=var --no-obsolete -v0
	$(PY) manage.py makemessages -d djangojs -l zh_Hans -l en --ignore=.venv --ignore=var --ignore=static/vendor -v0

migrate: install-runtime
	$(PY) manage.py migrate --noinput -v0

# The city, its logins and its consultations now; its past (a month of cases) plays in the background
# once the site is up (scripts/devserver.py --history small). `make seed` alone plays the past at once.
seed-city: migrate
	$(PY) manage.py seed_demo --history none
	$(PY) manage.py seed_consultations

seed: seed-city
	$(PY) manage.py seed_history --size small

# Without DATABASE_URL / REDIS_URL: PostgreSQL and Valkey embedded under var/ (portal/embedded.py),
# started by the first command that needs them and stopped when `make run` ends (Ctrl-C).
HISTORY ?= small
run: install-runtime compilemessages seed-city
	$(PY) scripts/devserver.py --port $(PORT) --history $(HISTORY)

# Stop the embedded servers a manage.py command started outside `make run`.
stop:
	$(PY) -m portal.embedded stop

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	DJANGO_SETTINGS_MODULE=portal.settings.test $(VENV)/bin/mypy

# The suite runs on TEST_WORKERS pytest-xdist workers (one per CPU, at most 8), each with its own test database
# and Redis database index (tests/conftest.py); tests marked `integration` run one at a time (xdist group).
TEST_WORKERS ?= $(shell n=$$(nproc 2>/dev/null || echo 2); echo $$(( n > 8 ? 8 : n )))
test: install compilemessages lint
	DJANGO_SETTINGS_MODULE=portal.settings.test $(PY) manage.py makemigrations --check --dry-run -v0
	DJANGO_SETTINGS_MODULE=portal.settings.test $(VENV)/bin/pytest -n $(TEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

# locust's headless run of the realistic mix (bench/locustfile.py) against gunicorn with production settings,
# a Celery worker and beat on PostgreSQL + Redis and the seeded demo city; figures in docs/reliability.md.
LOAD_SECONDS ?= 60
LOAD_CLIENTS ?= 200
LOAD_HISTORY ?= small
load: install compilemessages
	$(PY) bench/load.py --seconds $(LOAD_SECONDS) --clients $(LOAD_CLIENTS) --history $(LOAD_HISTORY)

clean: stop
	rm -rf var/run var/celerybeat-schedule*

# Issue 17's ratios from one command: intake (to the one-INSERT view and, with HELPDESK, to django-helpdesk's
# public form) and the escalation sweep (flat from 100,000 to 1,000,000 open cases; with HELPDESK, to
# django-helpdesk's own escalate_tickets). HELPDESK names django-helpdesk 2.6.1 laid out as bench/helpdesk_sweep.py
# says; figures and conditions in bench/RESULTS.md.
HELPDESK ?=
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/ms_bench
bench: install compilemessages
	BENCH_DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) bench/bench_intake.py --rounds 2 $(if $(HELPDESK),--helpdesk $(HELPDESK))
	BENCH_DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) bench/bench_sweep.py --sizes 1000000,100000 --skip-loop $(if $(HELPDESK),--helpdesk $(HELPDESK))

# Property-based run of schemathesis against the OpenAPI schema (REST and Open311), bounded:
# FUZZ_EXAMPLES generated calls per operation (the test suite itself uses 15).
FUZZ_EXAMPLES ?= 200
fuzz: install
	DJANGO_SETTINGS_MODULE=portal.settings.test FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(VENV)/bin/pytest tests/portal/test_api_fuzz.py -q
