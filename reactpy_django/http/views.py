"""The HTTP side: ReactPy web-module files and login-token redemption."""

from __future__ import annotations

from pathlib import Path

from django.http import FileResponse, Http404, HttpRequest
from django.views.decorators.http import require_GET
from reactpy.config import REACTPY_WEB_MODULES_DIR

from reactpy_django.auth_views import redeem_auth_token

__all__ = ["redeem_auth_token", "web_module_file"]


@require_GET
def web_module_file(request: HttpRequest, file: str) -> FileResponse:
    """Serve a file written by `reactpy.web.module_from_*`, refusing paths outside the folder."""
    root = Path(REACTPY_WEB_MODULES_DIR.current).resolve()
    target = (root / file).resolve()
    if root not in target.parents or not target.is_file():
        raise Http404("No such web module.")
    response = FileResponse(target.open("rb"), content_type="text/javascript")
    response["Cache-Control"] = "no-cache"
    return response
