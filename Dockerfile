# One image for the site: docker-compose.yml runs web (gunicorn), the Celery worker and beat from it.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_ROOT_USER_ACTION=ignore

# gettext provides msgfmt for compilemessages; fonts-dejavu-core the font of the evidence PDF and the share image.
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app

# Dependencies before the code, so a code change does not reinstall them.
COPY requirements.txt constraints-build.txt ./
# XStatic-Bootstrap ships only a source package whose build needs setuptools' pkg_resources.
RUN PIP_CONSTRAINT=constraints-build.txt pip install -r requirements.txt

COPY . .

# Translations and static files are built into the image. DEBUG off selects the same hashed,
# compressed static storage the running site uses; settings then insist on a long secret key and
# allowed hosts, so this step gets throwaway values that exist for this one RUN and are never in
# the image's environment.
RUN DJANGO_DEBUG=false \
    DJANGO_SECRET_KEY=build-only-throwaway-key-never-used-at-runtime-0123456789 \
    DJANGO_ALLOWED_HOSTS=build-only.invalid \
    ANYMAIL_WEBHOOK_SECRET=build-only:throwaway \
    sh -c 'python manage.py compilemessages --ignore=.venv --verbosity=0 \
        && python manage.py collectstatic --noinput --verbosity=0'

# The code stays root-owned and read-only to the app; only var/ (mail files, the local broker's
# data and beat's schedule when run without servers) is writable. The home directory is where
# gunicorn puts its control socket.
RUN useradd --create-home --uid 1000 --user-group takeback \
    && mkdir -p var/mail var/redis \
    && chown takeback:takeback var var/mail var/redis
USER takeback

EXPOSE 8000
# Gunicorn reads its worker count from WEB_CONCURRENCY. Three sync workers suit a small
# container; raise it (about 2 per CPU) for more traffic. gunicorn.conf.py turns the access log on,
# masked (no signed link, address or name in it).
ENV WEB_CONCURRENCY=3
CMD ["gunicorn", "config.wsgi", "--config", "gunicorn.conf.py", "--bind", "0.0.0.0:8000", "--worker-tmp-dir", "/dev/shm"]
