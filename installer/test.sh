#!/usr/bin/env bash
# Sets everything up and runs the whole test suite: lint, types, layer contract, tests.
# Qt runs offscreen (tests/conftest.py sets QT_QPA_PLATFORM); no display is needed.
set -euo pipefail
cd "$(dirname "$0")/.."
source installer/_setup.sh
ensure_debian_packages "${QT_DEBIAN_PACKAGES[@]}"
ensure_venv "[dev]"
echo "== ruff"; .venv/bin/ruff check . && .venv/bin/ruff format --check .
echo "== mypy"; .venv/bin/mypy
echo "== import-linter"; .venv/bin/lint-imports
echo "== pytest"; .venv/bin/python -m pytest "$@"
