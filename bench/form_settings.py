"""Settings of the `django_form` benchmark's server: the benchmark's, plus its form page."""

from __future__ import annotations

from pathlib import Path

from bench.settings import *  # noqa: F403
from bench.settings import TEMPLATES

ROOT_URLCONF = "bench.form_site"
# The page naming the component: found at startup, so the WebSocket may mount it.
TEMPLATES[0]["DIRS"] = [*TEMPLATES[0]["DIRS"], str(Path(__file__).parent / "templates")]
