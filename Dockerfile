# graph-itsm API server. Built by docker-compose.yml (service `api`), or alone:
#   docker build -t graph-itsm . && docker run -p 8000:8000 -e GRAPH_ITSM_DB=bolt://HOST:7687 ... graph-itsm
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /src
COPY . .
RUN pip install . \
 && useradd --create-home --uid 10001 app \
 && mkdir -p /app \
 && chown app:app /app

# Unset GRAPH_ITSM_DB would mean the embedded database under ./.graph-itsm/, i.e. /app/.graph-itsm here.
WORKDIR /app
USER app
EXPOSE 8000

# python:3.11-slim has no curl or wget; urlopen raises (exit 1) on a refused connection or a non-2xx answer.
HEALTHCHECK --interval=10s --timeout=5s --start-period=20s --retries=5 \
  CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://localhost:8000/healthz', timeout=4)"]

CMD ["graph-itsm", "serve", "--host", "0.0.0.0", "--port", "8000"]
