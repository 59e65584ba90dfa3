"""Test settings for a reactpy-django site with its tables in a second database.

`DATABASE_ROUTERS = ["reactpy_django.database.Router"]` and `REACTPY_DATABASE = "reactpy_data"`,
as reactpy-django's docs set them up. `REACTPY_TEST_DATA_DB_NAME` names that second database.
"""

from __future__ import annotations

import os

from tests.settings import *  # noqa: F403
from tests.settings import DATABASES

DATABASE_ROUTERS = ["reactpy_django.database.Router"]
REACTPY_DATABASE = "reactpy_data"
DATABASES["reactpy_data"]["NAME"] = os.environ.get(
    "REACTPY_TEST_DATA_DB_NAME", DATABASES["reactpy_data"]["NAME"]
)
