#!/usr/bin/env bash
# Sets everything up and starts the program on a local SQLite database.
# The first start fills an empty database with demo data (--demo); arguments are passed on,
# e.g. `bash installer/start.sh --db ~/altenburg.sqlite`.
set -euo pipefail
cd "$(dirname "$0")/.."
source installer/_setup.sh
ensure_debian_packages "${QT_DEBIAN_PACKAGES[@]}"
ensure_venv ""
exec .venv/bin/integrationsmanager --demo "$@"
