"""Demo URLs: one page per group of hooks, plus ReactPy's own HTTP views."""

from __future__ import annotations

from django.urls import include, path

from demo_app import views

urlpatterns = [
    path("", views.index, name="index"),
    path("connection/", views.page("connection"), name="connection"),
    path("reactpy/", include("reactpy_django.http.urls")),
]
