#!/usr/bin/env bash
# Development aid while nothing is deployed: rebuild every app's migrations from the models.
set -euo pipefail
cd "$(dirname "$0")/.."
for app in accounts city feedback deadlines casework routing surges oversight open311 consultations; do
  [ -d "$app/migrations" ] && find "$app/migrations" -name '0*.py' -delete
done
.venv/bin/python manage.py makemigrations accounts city feedback deadlines casework routing surges oversight open311 consultations -v1
