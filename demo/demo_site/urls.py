"""Demo URLs: one page per group of hooks, plus ReactPy's own HTTP views."""

from __future__ import annotations

from django.contrib.staticfiles.views import serve as serve_static
from django.urls import URLPattern, URLResolver, include, path, re_path

from demo_app import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.index, name="index"),
    path("connection/", views.page("connection"), name="connection"),
    path("todo/", views.page("todo"), name="todo"),
    path("users/", views.page("users"), name="users"),
    path("chat/", views.page("chat"), name="chat"),
    # Every URL under dropin/ is the same page: its django_router picks the route in the browser.
    re_path(r"^dropin/", views.page("dropin"), name="dropin"),
    path("reactpy/", include("reactpy_django.http.urls")),
    # The demo runs under uvicorn, which serves no static files; a real site uses its web
    # server or WhiteNoise for these.
    path("static/<path:path>", serve_static, {"insecure": True}),
]
