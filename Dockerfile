# One image for web, worker and beat.
FROM node:20-bookworm-slim AS assets
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY static ./static
COPY scripts ./scripts
RUN npm run build

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app
RUN useradd --create-home --uid 1000 app
COPY requirements.txt ./
RUN pip install -r requirements.txt
COPY . .
COPY --from=assets /app/static/build ./static/build
# var/media holds export files: web and workers must share it (a volume in docker-compose.yml), unless exports go
# to object storage (EXPORTS_S3_BUCKET). collectstatic needs settings to load, not real secrets.
RUN SECRET_KEY=build-only DEBUG=false python manage.py collectstatic --noinput \
    && mkdir -p /app/var/media/exports \
    && chown -R app:app /app/var
USER app
EXPOSE 8000
# Nothing a web request does takes more than a second or two: long lists are exported by a worker, and a finished
# file is sent with sendfile. A request still running after 30 s is stuck, and its worker is restarted.
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "30", "--access-logfile", "-"]
