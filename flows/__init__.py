"""Prefect flows, deployments and the zhnews CLI."""
import os

# Without a server, every process starts a temporary Prefect server: keep it quiet and
# give it time (the default 20 s start-up limit is too tight on a busy 2-core machine).
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
