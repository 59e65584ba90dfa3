"""The HTTP side: ReactPy web-module files and login-token redemption."""

from __future__ import annotations

import mimetypes
import os
from pathlib import Path

from django.http import FileResponse, Http404, HttpRequest
from django.views.decorators.http import require_GET
from reactpy.config import REACTPY_WEB_MODULES_DIR

from reactpy_django.auth_views import redeem_auth_token

__all__ = ["redeem_auth_token", "web_module_file"]


def _module_path(root: Path, file: str) -> Path | None:
    """`file` inside `root`, or `None` when the name climbs out of it.

    The check is on the name, not on the resolved file: `module_from_file(symlink=True)`
    writes links pointing elsewhere, and those are served.
    """
    if "\x00" in file or "\\" in file:
        return None
    parts = file.split("/")
    if any(part in ("", ".", "..") for part in parts) or os.path.isabs(file):
        return None
    target = root.joinpath(*parts)
    return target if target.is_file() else None


@require_GET
def web_module_file(request: HttpRequest, file: str) -> FileResponse:
    """Serve a file written by `reactpy.web.module_from_*`, refusing names outside the folder."""
    target = _module_path(Path(REACTPY_WEB_MODULES_DIR.current), file)
    if target is None:
        raise Http404("No such web module.")
    content_type = "text/javascript"
    if target.suffix not in (".js", ".mjs"):
        content_type = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
    response = FileResponse(target.open("rb"), content_type=content_type)
    response["Cache-Control"] = "no-cache"
    response["X-Content-Type-Options"] = "nosniff"
    # Public files, imported as module scripts (CORS) by pages of other hosts when the
    # WebSocket is served elsewhere (`{% component host=... %}`, REACTPY_DEFAULT_HOSTS).
    response["Access-Control-Allow-Origin"] = "*"
    return response
