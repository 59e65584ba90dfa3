"""Test settings: the demo site plus test-only components.

`REACTPY_TEST_BACKEND=postgres` switches to PostgreSQL and the Redis channel layer; the
servers are started by `tests/conftest.py` from Debian packages on 127.0.0.1.
`REACTPY_TEST_REDIS_LAYER` picks channels_redis' layer: `core` (RedisChannelLayer, the
default) or `pubsub` (RedisPubSubChannelLayer); the tests pass it to the servers they start.
"""

from __future__ import annotations

import os
from pathlib import Path

from demo_site.settings import *  # noqa: F403
from demo_site.settings import INSTALLED_APPS, TEMPLATES

BACKEND = os.environ.get("REACTPY_TEST_BACKEND", "sqlite")
RUN_DIR = Path(os.environ.get("REACTPY_TEST_RUN_DIR", "/tmp/reactpy-django-tests"))
PG_PORT = int(os.environ.get("REACTPY_TEST_PG_PORT", "54329"))
REDIS_PORT = int(os.environ.get("REACTPY_TEST_REDIS_PORT", "63799"))
RUN_DIR.mkdir(parents=True, exist_ok=True)
REDIS_LAYER = {
    "core": "channels_redis.core.RedisChannelLayer",
    "pubsub": "channels_redis.pubsub.RedisPubSubChannelLayer",
}[os.environ.get("REACTPY_TEST_REDIS_LAYER", "core")]

DEBUG = os.environ.get("REACTPY_TEST_DEBUG") == "1"  # browser tests of debug mode set it
SECRET_KEY = "tests-secret-key"
INSTALLED_APPS = [*INSTALLED_APPS, "tests"]
TEMPLATES[0]["DIRS"] = [str(Path(__file__).parent / "templates")]
ROOT_URLCONF = "tests.urls"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

if BACKEND == "postgres":
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": os.environ.get("REACTPY_TEST_DB_NAME", "reactpy"),
            "USER": "postgres",
            "HOST": "127.0.0.1",
            "PORT": str(PG_PORT),
            "TEST": {"NAME": "reactpy_test"},
        },
        # A second database for REACTPY_DATABASE tests (tests/test_user_data.py).
        "reactpy_data": {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": "reactpy_data",
            "USER": "postgres",
            "HOST": "127.0.0.1",
            "PORT": str(PG_PORT),
            "TEST": {"NAME": "reactpy_data_test"},
        },
    }
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": REDIS_LAYER,
            "CONFIG": {
                "hosts": [{"address": f"redis://127.0.0.1:{REDIS_PORT}/0", "socket_timeout": 10}]
            },
        }
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("REACTPY_TEST_DB_NAME", str(RUN_DIR / "test.sqlite3")),
            "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20},
            "TEST": {"NAME": str(RUN_DIR / "test.sqlite3")},
        },
        # A second database for REACTPY_DATABASE tests (tests/test_user_data.py).
        "reactpy_data": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(RUN_DIR / "reactpy_data.sqlite3"),
            "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20},
            "TEST": {"NAME": str(RUN_DIR / "test_reactpy_data.sqlite3")},
        },
    }

if os.environ.get("REACTPY_TEST_LAYER") == "redis":  # a server on the test's own redis-server
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": REDIS_LAYER,
            "CONFIG": {
                "hosts": [{"address": os.environ["REACTPY_TEST_REDIS_URL"], "socket_timeout": 10}],
                "prefix": os.environ.get("REACTPY_TEST_REDIS_PREFIX", "asgi"),
            },
        }
    }
