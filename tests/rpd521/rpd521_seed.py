"""Run with reactpy-django 5.2.1's venv after its `migrate`: users and their stored data.

Each user's data is written by 5.2.1's own `UserDataModel` in its own format (orjson bytes),
as its `use_user_data` mutation does. Argument: a JSON object `{username: data or null}`;
`null` stores bytes that are not JSON. Prints the version of the reactpy_django it used.
"""

from __future__ import annotations

import json
import os
import sys
from importlib.metadata import version

import django


def main() -> None:
    """Store each user named in `sys.argv[1]` and their data."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rpd521_settings")
    django.setup()
    import orjson
    from django.contrib.auth.models import User

    from reactpy_django.models import UserDataModel

    wanted: dict[str, object] = json.loads(sys.argv[1])
    for username, data in wanted.items():
        user = User.objects.create_user(username, password="unused")
        stored = b"\xffnot json {" if data is None else orjson.dumps(data)
        UserDataModel.objects.create(user_pk=str(user.pk), data=stored)
    print(f"reactpy-django {version('reactpy-django')}")


if __name__ == "__main__":
    main()
