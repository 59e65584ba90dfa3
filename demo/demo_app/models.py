"""The demo's models: the hooks doc's TodoItem."""

from __future__ import annotations

from django.db import models


class TodoItem(models.Model):
    """An item of the doc's todo list."""

    text: models.CharField[str, str] = models.CharField(max_length=255)
    done: models.BooleanField[bool, bool] = models.BooleanField(default=False)

    def __str__(self) -> str:
        return self.text
