# The two commands: `make start` runs meldbot on its embedded default (SQLite, local web
# chat, no credentials); `make test` installs everything the suite needs and runs it all.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: start test install install-test check bench translations letter-templates

# One install script for every place meldbot runs: here, CI, the Containerfile and a server.
install:
	PYTHON=$(PYTHON) VENV=$(VENV) deploy/install

install-test:
	PYTHON=$(PYTHON) VENV=$(VENV) deploy/install --test

start: install
	$(BIN)/meldbot serve

check:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

test: install-test check
	$(BIN)/pytest
	$(BIN)/python -m benchmarks.intake_signals
	$(BIN)/python -m benchmarks.report_latency
	$(BIN)/python -m benchmarks.scheduled_posts --seconds 20
	$(BIN)/python -m benchmarks.web_history
	$(BIN)/python -m benchmarks.slack_load --short

bench: install-test
	$(BIN)/python -m benchmarks.intake_signals
	$(BIN)/python -m benchmarks.report_latency
	$(BIN)/python -m benchmarks.web_history
	$(BIN)/python -m benchmarks.scheduled_posts
	$(BIN)/python -m benchmarks.console
	$(BIN)/python -m benchmarks.letters
	$(BIN)/python -m benchmarks.slack_load

# Re-extract the messages and merge them into the Dutch catalog (then translate the new ones).
translations: install-test
	$(BIN)/pybabel extract -F babel.cfg -k t -k N_ -k CaseError -k NotAllowed -k ReceiptRefused \
		--no-location --sort-output -o /tmp/meldbot.pot bot dialogs adapters
	$(BIN)/pybabel update -D meldbot -i /tmp/meldbot.pot -d bot/locale -l nl --no-location

# Write the shipped letter templates (bot/letters/templates/*.docx) from bot/letters/shipped.py.
letter-templates: install
	$(BIN)/python -m bot.letters.shipped
