# Production image: the ASGI web server by default; the same image runs the Celery worker and beat.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=expertly.settings.production \
    PORT=8000

WORKDIR /app
RUN useradd --system --create-home --uid 10001 expertly

COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .
# collectstatic only reads files; the secrets it needs to import settings are placeholders here
# and never reach the running container.
RUN SECRET_KEY=collectstatic-only FIELD_ENCRYPTION_KEYS=collectstatic-only \
    python manage.py collectstatic --noinput \
    && chown -R expertly:expertly /app

USER expertly
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD python -c "import os, urllib.request; urllib.request.urlopen(f'http://127.0.0.1:{os.environ[\"PORT\"]}/api/health', timeout=4)"
CMD ["sh", "-c", "exec uvicorn expertly.asgi:application --host 0.0.0.0 --port ${PORT} --proxy-headers --forwarded-allow-ips='*'"]
