# The RestartiX Core image: the API (`restartix serve`), the worker and the migrations.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /srv/restartix

COPY pyproject.toml ./
COPY app ./app
COPY workers ./workers
COPY db ./db

# Editable on purpose: `restartix db migrate` reads db/ next to the `app` package, so the
# package must run from this tree rather than from a copy in site-packages.
RUN pip install --editable . \
    && useradd --system --uid 10001 --user-group --no-create-home --shell /usr/sbin/nologin restartix

USER 10001:10001

EXPOSE 8000

CMD ["restartix", "serve", "--host", "0.0.0.0", "--port", "8000"]
