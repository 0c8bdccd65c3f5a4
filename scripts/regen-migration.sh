#!/usr/bin/env bash
# Regenerate the single initial Alembic revision from the models (only while nothing is deployed).
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
rm -f migrations/versions/0001_initial.py
CASEFLOW_INSTANCE="$tmp" DATABASE_URL="sqlite:///$tmp/m.db" .venv/bin/flask --app wsgi db revision \
  --autogenerate --rev-id 0001 -m "initial schema" >/dev/null 2>&1
mv migrations/versions/0001_initial_schema.py migrations/versions/0001_initial.py
rm -rf "$tmp"
echo "migrations/versions/0001_initial.py regenerated"
