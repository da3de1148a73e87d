# The portal's image: web (gunicorn), Celery worker and beat all run from it.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app

# pg_dump and pg_restore for manage.py backup and restore: Debian's, newer than the postgres:15
# server, which is what pg_dump needs.
RUN apt-get update \
    && apt-get install -y --no-install-recommends postgresql-client \
    && rm -rf /var/lib/apt/lists/*
COPY pyproject.toml README.md ./
COPY magelang magelang
COPY targets targets
COPY opd opd
RUN pip install --no-cache-dir .
COPY . .
# collectstatic with the production storage (hashed names); the key exists only for this step.
RUN DJANGO_ENV=production ALLOWED_HOSTS=build \
    SECRET_KEY="$(python -c 'import secrets; print(secrets.token_urlsafe(64))')" \
    python manage.py collectstatic --no-input \
    && useradd --system --home /app portal && chown -R portal /app
USER portal

EXPOSE 8000
CMD ["gunicorn", "magelang.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
