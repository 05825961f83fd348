# Lianluo — the two commands that matter: `make demo` and `make test` (see README.md).
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
PG_URL ?= postgres://postgres@127.0.0.1:5432/test
PYTEST_ARGS ?=
APT_PACKAGES := chromium fonts-noto-cjk gettext libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0
export DJANGO_SETTINGS_MODULE := config.settings

.PHONY: setup system-packages python-packages assets messages migrate demo run test test-pg lint pytest bench clean

setup: system-packages python-packages assets messages migrate

# Debian packages: a browser for the end-to-end tests, CJK fonts, gettext for translations,
# Pango and HarfBuzz subsetting for WeasyPrint (without it a CJK PDF takes ~12 s instead of ~1 s).
system-packages:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
	  $$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q --no-install-recommends $$missing; \
	fi

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -e '.[dev]'
	touch $@

python-packages: $(VENV)/.installed

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

# Front-end files come from npm at build time and are served from static/ (never a CDN).
assets: node_modules/.installed
	mkdir -p lianluo/static/vendor
	cp node_modules/htmx.org/dist/htmx.min.js lianluo/static/vendor/htmx.min.js
	cp node_modules/echarts/dist/echarts.min.js lianluo/static/vendor/echarts.min.js

messages: python-packages
	$(PY) manage.py compilemessages -v 0 --ignore '.venv' --ignore 'node_modules'

migrate: python-packages
	$(PY) manage.py migrate --noinput -v 0

demo: setup
	LIANLUO_DEMO=1 $(PY) manage.py demo
	@echo "Serving on http://127.0.0.1:8000 — stop with Ctrl+C"
	DEBUG=1 $(PY) manage.py runserver 127.0.0.1:8000

lint: python-packages
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy .
	$(PY) manage.py makemigrations --check --dry-run -v 1

# pytest exits 5 when it collected no test: that is a failure here, not a pass.
pytest:
	@set +e; $(VENV)/bin/pytest $(PYTEST_ARGS); rc=$$?; \
	if [ $$rc = 5 ]; then echo "pytest collected no tests: failing on purpose"; exit 1; fi; exit $$rc

test: setup lint pytest

test-pg: setup
	@pg_isready -h 127.0.0.1 -p 5432 -q || pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start
	DATABASE_URL=$(PG_URL) $(MAKE) --no-print-directory pytest

bench: setup
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) node_modules lianluo/static/vendor staticfiles db.sqlite3
