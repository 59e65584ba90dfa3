"""Benchmark settings: the demo site, production-like (DEBUG off), on a throwaway SQLite file.

`BENCH_DATABASE` names the SQLite file; `BENCH_REDIS_URL`, when set, switches the channel
layer from the in-memory one to Redis (`BENCH_REDIS_LAYER`: `core`, the default, for
`RedisChannelLayer`, or `pubsub` for `RedisPubSubChannelLayer`); `BENCH_CONN_MAX_AGE` sets
`CONN_MAX_AGE` and
`BENCH_QUERY_THREADS` sets `REACTPY_QUERY_THREADS` and `BENCH_GC_THRESHOLD` sets
`REACTPY_GC_THRESHOLD` (`none`: Python's own).
"""

from __future__ import annotations

import os

from demo_site.settings import *  # noqa: F403
from demo_site.settings import BASE_DIR, INSTALLED_APPS

# The demo lists "daphne" so that `runserver` serves ASGI. A production server has no use for
# it, and it costs every server process Twisted's import (26 MiB of RSS under uvicorn; Daphne
# imports Twisted itself either way).
INSTALLED_APPS = [app for app in INSTALLED_APPS if app != "daphne"]

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ.get("BENCH_DATABASE", str(BASE_DIR / "bench.sqlite3")),
        "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20},
        # Django's default (0: a new connection per query-thread call) unless
        # BENCH_CONN_MAX_AGE says otherwise (seconds, or "none" for unlimited).
        "CONN_MAX_AGE": (
            None
            if os.environ.get("BENCH_CONN_MAX_AGE") == "none"
            else int(os.environ.get("BENCH_CONN_MAX_AGE") or 0)
        ),
    }
}

_REDIS_URL = os.environ.get("BENCH_REDIS_URL", "")
_REDIS_BACKENDS = {
    "core": "channels_redis.core.RedisChannelLayer",
    "pubsub": "channels_redis.pubsub.RedisPubSubChannelLayer",
}
CHANNEL_LAYERS = (
    {
        "default": {
            "BACKEND": _REDIS_BACKENDS[os.environ.get("BENCH_REDIS_LAYER") or "core"],
            "CONFIG": {"hosts": [{"address": _REDIS_URL, "socket_timeout": 10}]},
        }
    }
    if _REDIS_URL
    else {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
)

# Warnings only: a benchmark that logs every connection measures the logger.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {
        "reactpy_django": {"handlers": ["console"], "level": "WARNING"},
        "reactpy": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}

if os.environ.get("BENCH_QUERY_THREADS"):
    REACTPY_QUERY_THREADS = int(os.environ["BENCH_QUERY_THREADS"])

if os.environ.get("BENCH_GC_THRESHOLD"):
    _threshold = os.environ["BENCH_GC_THRESHOLD"]
    REACTPY_GC_THRESHOLD = None if _threshold == "none" else int(_threshold)
