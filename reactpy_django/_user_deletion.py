"""Deleting a user deletes their `use_user_data` rows in `REACTPY_DATABASE`."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Model
from django.db.models.signals import post_delete
from django.dispatch import receiver

from reactpy_django.conf import reactpy_settings
from reactpy_django.models import UnconvertedUserData, UserDataModel

__all__ = ["connect"]

_DISPATCH_UID = "reactpy_django.delete_user_data"


def _delete_user_data(sender: type[Model], instance: Model, **kwargs: Any) -> None:
    # The user table may live in another database than REACTPY_DATABASE, so there is no
    # foreign key to cascade; the rows are found by the key's text, as use_user_data stores it.
    if instance.pk is None:
        return
    alias = reactpy_settings().database
    user_pk = str(instance.pk)
    UserDataModel.objects.using(alias).filter(user_pk=user_pk).delete()
    UnconvertedUserData.objects.using(alias).filter(user_pk=user_pk).delete()


def connect() -> None:
    """Listen for deletions of `AUTH_USER_MODEL` (called once, from the app's `ready`)."""
    receiver(post_delete, sender=get_user_model(), dispatch_uid=_DISPATCH_UID)(_delete_user_data)
