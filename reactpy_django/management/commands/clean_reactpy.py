"""`manage.py clean_reactpy`: delete expired component arguments, tokens and orphaned user data."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from reactpy_django.cleaning import clean

_DESCRIPTIONS = {
    "sessions": "expired component argument rows",
    "auth_tokens": "expired login tokens",
    "user_data": "user data rows of deleted users",
}


class Command(BaseCommand):
    """Delete expired ReactPy rows now, whatever `REACTPY_CLEAN_INTERVAL` says."""

    help = "Delete expired ReactPy component arguments, login tokens and orphaned user data."

    def add_arguments(self, parser: ArgumentParser) -> None:
        """`--sessions`, `--auth-tokens`, `--user-data`: clean only those kinds."""
        parser.add_argument("--sessions", action="store_true", help="Only component arguments.")
        parser.add_argument("--auth-tokens", action="store_true", help="Only login tokens.")
        parser.add_argument("--user-data", action="store_true", help="Only orphaned user data.")

    def handle(self, *args: Any, **options: Any) -> None:
        """Clean, and print how many rows of each kind were deleted."""
        chosen = [options["sessions"], options["auth_tokens"], options["user_data"]]
        only = any(chosen)
        deleted = clean(
            sessions=options["sessions"] if only else None,
            auth_tokens=options["auth_tokens"] if only else None,
            user_data=options["user_data"] if only else None,
        )
        for kind, count in deleted.items():
            self.stdout.write(f"Deleted {count} {_DESCRIPTIONS[kind]}.")
