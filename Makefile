# The two commands that matter: `make dev` (run) and `make test` (test).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# `make dev PORT=8080` (or PORT in the environment) serves the API on another port.
PORT ?= 8000

.PHONY: dev test lint lint-python lint-sql test-python schema env services bootstrap migrate seed serve clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $(STAMP)

env: $(STAMP)

services: env
	$(BIN)/restartix check-services

bootstrap: services
	$(BIN)/restartix db bootstrap

migrate: bootstrap
	$(BIN)/restartix db migrate

seed: migrate
	$(BIN)/restartix seed demo

dev: seed
	$(BIN)/restartix dev-keys
	$(BIN)/restartix serve --port $(PORT)

lint-python: env
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

lint-sql: env
	$(BIN)/sqlfluff lint --processes 2 db

lint: lint-python lint-sql

test-python: env
	$(BIN)/pytest

test: lint test-python

schema: env
	$(BIN)/restartix db schema

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
