"""HTTP views: `path("reactpy/", include("reactpy_django.http.urls"))` in the project's urls."""

from __future__ import annotations

from django.urls import URLPattern, path

from reactpy_django.http import views

app_name = "reactpy"

urlpatterns: list[URLPattern] = [
    path("web_module/<path:file>", views.web_module_file, name="web_modules"),
    path("auth/<str:token>/", views.redeem_auth_token, name="auth"),
    path("iframe/<str:dotted_path>", views.view_to_iframe, name="view_to_iframe"),
]
