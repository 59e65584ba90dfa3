"""Database tables: stored component arguments, one-time login tokens, per-user data."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import models

__all__ = [
    "AuthToken",
    "CleanupState",
    "ComponentSession",
    "UnconvertedUserData",
    "UserDataModel",
]


class ComponentSession(models.Model):
    """The arguments a `{% component %}` tag rendered, bound to the page's session."""

    uuid: models.CharField[str, str] = models.CharField(
        primary_key=True, max_length=36, editable=False
    )
    component: models.CharField[str, str] = models.CharField(max_length=255)
    session_key: models.CharField[str, str] = models.CharField(
        max_length=64, db_index=True, blank=True
    )
    params: models.BinaryField[bytes, bytes | memoryview] = models.BinaryField()
    last_accessed: models.DateTimeField[datetime, datetime] = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.component} ({self.uuid})"


class AuthToken(models.Model):
    """A single-use token the browser redeems over HTTP to receive its new session cookie."""

    value: models.CharField[str, str] = models.CharField(
        primary_key=True, max_length=64, editable=False
    )
    session_key: models.CharField[str, str] = models.CharField(max_length=64)
    previous_session_key: models.CharField[str, str] = models.CharField(max_length=64, blank=True)
    created_at: models.DateTimeField[datetime, datetime] = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"login token for session {self.session_key[:6]}..."


class UserDataModel(models.Model):
    """The JSON object `use_user_data` stores for one user."""

    user_pk: models.CharField[str, str] = models.CharField(max_length=255, unique=True)
    data: models.JSONField[Any, Any] = models.JSONField(default=dict)

    def __str__(self) -> str:
        return f"user data of {self.user_pk}"


class UnconvertedUserData(models.Model):
    """A user's data from reactpy-django 5.2.1 that was not a JSON object, kept as it was.

    Migration 0010 moves such rows here (and logs each) instead of dropping them; that user's
    `use_user_data` starts from its defaults. Deleting the user deletes this row too.
    """

    user_pk: models.CharField[str, str] = models.CharField(max_length=255, unique=True)
    data: models.BinaryField[bytes, bytes | memoryview] = models.BinaryField()
    error: models.TextField[str, str] = models.TextField()

    def __str__(self) -> str:
        return f"unconverted user data of {self.user_pk}"


class CleanupState(models.Model):
    """One row: when expired rows were last cleaned, so every process throttles together."""

    id: models.PositiveSmallIntegerField[int, int] = models.PositiveSmallIntegerField(
        primary_key=True, default=1
    )
    cleaned_at: models.DateTimeField[datetime, datetime] = models.DateTimeField()

    def __str__(self) -> str:
        return f"cleaned at {self.cleaned_at:%Y-%m-%d %H:%M:%S}"
