"""Login-token redemption over HTTP (placeholder until use_auth lands)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

__all__ = ["redeem_auth_token"]


def redeem_auth_token(request: HttpRequest, token: str) -> HttpResponse:
    """Exchange a one-time login token for the session cookie it was issued for."""
    return HttpResponse(status=404)
