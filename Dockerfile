# syntax=docker/dockerfile:1
# The partnet dashboard. Built by docker-compose.yml (service "dashboard"); needs BuildKit,
# which is the default for `docker compose` and Docker 23+.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# `pip install .` from a bind mount of the build context rather than `COPY . .`: only the
# installed package ends up in the image, never the rest of the checkout (notably .neo4j/,
# which holds a local server's password, its data and ~130 MB of jars). The mount is rw so
# setuptools may write build/ and *.egg-info; those writes are discarded.
RUN --mount=type=bind,target=/src,rw cd /src && pip install .

RUN useradd --create-home --uid 10001 partnet
USER partnet
WORKDIR /home/partnet

EXPOSE 8501
CMD ["partnet", "serve", "--store", "neo4j", "--port", "8501", "--host", "0.0.0.0"]
