# lessonbot container image: `docker build -t lessonbot .` (see docs/deploy.md).
#
# Both stages start from the same base, named once here, so the virtualenv built in the first
# stage finds the same python3 at the same path in the second (/usr/local/bin/python3 in the
# official python images; any Debian-style image with python3 + venv works the same way).
ARG PYTHON_IMAGE=python:3.12-slim

# ---- stage 1: build the virtualenv --------------------------------------------------------------
FROM ${PYTHON_IMAGE} AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_ROOT_USER_ACTION=ignore
RUN python3 -m venv /opt/venv
WORKDIR /src
# Dependencies first, from pyproject.toml alone: editing the bot does not reinstall them.
COPY pyproject.toml ./
RUN python3 -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" \
        > /tmp/requirements.txt \
 && /opt/venv/bin/pip install -r /tmp/requirements.txt
COPY README.md ./
COPY bot ./bot
COPY knowledge ./knowledge
# Install the wheel (its lessons are bundled as bot/knowledge), then move those lessons to /knowledge
# and leave a symlink, so every command (ask, check, run) reads /knowledge and a mount replaces it.
# pip and setuptools are not needed at run time.
RUN /opt/venv/bin/pip install --no-deps . \
 && pkg=$(/opt/venv/bin/python -I -c "import bot, os; print(os.path.dirname(bot.__file__))") \
 && mv "$pkg/knowledge" /knowledge \
 && ln -s /knowledge "$pkg/knowledge" \
 && /opt/venv/bin/python -m pip uninstall -y -q pip setuptools \
 && /opt/venv/bin/lessonbot check

# ---- stage 2: the runtime ------------------------------------------------------------------------
FROM ${PYTHON_IMAGE} AS runtime
LABEL org.opencontainers.image.title="lessonbot" \
      org.opencontainers.image.description="Bilingual (Korean/English) Q&A bot for Discord study groups" \
      org.opencontainers.image.licenses="MIT"
# A fixed numeric uid/gid, so Kubernetes' runAsNonRoot can verify it; /state is where the SQLite
# state lives (mount a volume there), /config holds config.yaml (mount yours over it).
RUN groupadd --gid 10001 lessonbot \
 && useradd --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent \
        --shell /usr/sbin/nologin lessonbot \
 && mkdir -p /state /config \
 && chown 10001:10001 /state
COPY --from=build /opt/venv /opt/venv
COPY --from=build /knowledge /knowledge
COPY deploy/k8s/config.yaml /config/config.yaml
ENV PATH=/opt/venv/bin:$PATH \
    LANG=C.UTF-8 \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1
USER 10001:10001
WORKDIR /state
# Healthy only while the running bot's heartbeat (written about every 30 s while the gateway is
# connected) is fresh: a bot that is up but disconnected turns unhealthy.
HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 \
    CMD ["lessonbot", "health", "--config", "/config/config.yaml"]
# Exec form, no shell in between: SIGTERM reaches the bot itself, which closes the gateway, clears
# its heartbeat and checkpoints SQLite within 10 s.
STOPSIGNAL SIGTERM
ENTRYPOINT ["lessonbot"]
CMD ["run", "--config", "/config/config.yaml"]
