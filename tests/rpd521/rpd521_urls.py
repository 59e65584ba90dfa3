"""The URLs a reactpy-django 5.2.1 site includes (its checks and template tag reverse them)."""

from __future__ import annotations

from django.urls import include, path

urlpatterns = [path("reactpy/", include("reactpy_django.http.urls"))]
