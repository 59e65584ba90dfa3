"""Minimal settings of a reactpy-django 5.2.1 site (its docs' INSTALLED_APPS), for 5.2.1's venv.

The database comes from the same variables as `tests/settings.py`: SQLite at the path
`REACTPY_TEST_DB_NAME`, or with `REACTPY_TEST_BACKEND=postgres` that database on the test
PostgreSQL server (`REACTPY_TEST_PG_PORT`).
"""

from __future__ import annotations

import os

SECRET_KEY = "tests-secret-key"
DEBUG = False
USE_TZ = True
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "channels",
    "reactpy_django",
]
ROOT_URLCONF = "rpd521_urls"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
ASGI_APPLICATION = "rpd521_settings.application"  # never served: the site only migrates
CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
TEMPLATES = [{"BACKEND": "django.template.backends.django.DjangoTemplates", "APP_DIRS": True}]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

_NAME = os.environ["REACTPY_TEST_DB_NAME"]
if os.environ.get("REACTPY_TEST_BACKEND", "sqlite") == "postgres":
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": _NAME,
            "USER": "postgres",
            "HOST": "127.0.0.1",
            "PORT": os.environ.get("REACTPY_TEST_PG_PORT", "54329"),  # conftest.py's default
        }
    }
else:
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": _NAME}}
