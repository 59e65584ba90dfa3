"""Test URLs: the demo's, plus test-only pages."""

from __future__ import annotations

from django.urls import path

from demo_site.urls import urlpatterns as demo_urlpatterns
from tests import views

urlpatterns = [
    *demo_urlpatterns,
    path("test/<str:name>/", views.test_page, name="test_page"),
]
