# One image for web, worker and beat. Runtime packages only (requirements.txt); tests and linters are in
# requirements-dev.txt.
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_SETTINGS_MODULE=portal.settings.production \
    MINSHENG_VAR_DIR=/var/lib/minsheng
RUN apt-get update && apt-get install -y --no-install-recommends gettext libpq5 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
# Build steps need no server; the addresses only satisfy the production settings (never contacted).
ARG BUILD_ENV="SECRET_KEY=build-only-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFGHIJ DATABASE_URL=postgres://build@127.0.0.1:9/none REDIS_URL=redis://127.0.0.1:9/0"
RUN env $BUILD_ENV python manage.py compilemessages --ignore=.venv -v0 \
 && env $BUILD_ENV python manage.py collectstatic --noinput -v0
RUN useradd --system --home /app minsheng && mkdir -p /var/lib/minsheng && chown minsheng /var/lib/minsheng
USER minsheng
EXPOSE 8000
CMD ["gunicorn", "portal.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "30"]
