"""Test URLs: the demo's, plus test-only pages."""

from __future__ import annotations

from django.urls import path, re_path

from demo_site.urls import urlpatterns as demo_urlpatterns
from tests import views

urlpatterns = [
    *demo_urlpatterns,
    path("test/<str:name>/", views.test_page, name="test_page"),
    # django_router's pages: every URL under these prefixes is the same page.
    re_path(r"^router/", views.test_page, {"name": "router"}),
    re_path(r"^router-bare/", views.test_page, {"name": "router_bare"}),
    re_path(r"^books/", views.test_page, {"name": "docs_books"}),  # docs/examples/router_books
]
