# GPUBroker: one image for the web (ASGI) process, the Celery worker and beat.
#   docker build -t gpubroker .
#   docker run -p 8000:8000 gpubroker            # embedded defaults (SQLite in /data)
# deploy/docker-compose.yml runs the full stack.

FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
COPY . /src
RUN pip wheel --wheel-dir /wheels .

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 GPUBROKER_DATA_DIR=/data
RUN groupadd --system --gid 10001 gpubroker \
    && useradd --system --uid 10001 --gid gpubroker --home-dir /data --shell /usr/sbin/nologin gpubroker \
    && mkdir -p /data && chown gpubroker:gpubroker /data && chmod 0700 /data
COPY --from=build /wheels /wheels
RUN pip install --no-index --find-links=/wheels gpubroker && rm -rf /wheels
USER gpubroker
WORKDIR /data
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/health', timeout=4).status >= 400)"]
ENTRYPOINT ["gpubroker"]
CMD ["serve", "--host", "0.0.0.0", "--port", "8000"]
