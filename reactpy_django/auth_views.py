"""Login-token redemption over HTTP: the response that sets the session cookie after
`use_auth().login` or `logout` changed the session on the WebSocket.

`POST <prefix>/auth/<token>/` answers 204 and switches the cookie to the token's session, or
changes nothing and answers 404 (unknown or already used), 410 (expired, or its session is
gone) or 403 (the request's session cookie is not the one the token was issued to).
"""

from __future__ import annotations

import logging
from datetime import timedelta
from enum import IntEnum

from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import rotate_token
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from reactpy_django._auth_session import digest, store_class
from reactpy_django._root import client_module
from reactpy_django.arguments import rebind_arguments
from reactpy_django.conf import reactpy_settings
from reactpy_django.models import AuthToken

__all__ = ["redeem_auth_token"]

logger: logging.Logger = logging.getLogger(__name__)

client_module()  # the page's host serves the web module that redeems tokens: write it here too


class _Outcome(IntEnum):
    REDEEMED = 204
    FOREIGN = 403
    UNKNOWN = 404
    EXPIRED = 410


def _claim(digest: str, cookie: str) -> tuple[_Outcome, str, str]:
    """(sync) Use up the token if this browser may: (outcome, previous key, new key)."""
    config = reactpy_settings()
    db = config.database
    store = store_class()()
    with transaction.atomic(using=db):
        token = AuthToken.objects.using(db).select_for_update().filter(value=digest).first()
        if token is None:
            return _Outcome.UNKNOWN, "", ""
        previous, new = token.previous_session_key, token.session_key
        oldest = timezone.now() - timedelta(seconds=config.auth_token_max_age)
        if token.created_at <= oldest:
            token.delete()
            return _Outcome.EXPIRED, "", ""
        if not previous or not constant_time_compare(cookie, previous):
            return _Outcome.FOREIGN, "", ""
        if not store.exists(new):  # logged out (elsewhere) before the browser got here
            token.delete()
            return _Outcome.EXPIRED, "", ""
        token.delete()
        # Other tokens leading to the same session came from earlier, superseded logins in
        # this browser; the sessions they would have replaced are never held by it now.
        superseded = AuthToken.objects.using(db).filter(session_key=new)
        stale = set(superseded.values_list("previous_session_key", flat=True))
        superseded.delete()
    for key in {previous, *stale} - {new, ""}:
        store.delete(key)
    return _Outcome.REDEEMED, previous, new


@csrf_exempt  # the token is a secret bound to the session cookie; a forged request has neither
@require_POST
async def redeem_auth_token(request: HttpRequest, token: str) -> HttpResponse:
    """Exchange a one-time login token for the session cookie it was issued for."""
    cookie = request.COOKIES.get(settings.SESSION_COOKIE_NAME, "")
    outcome, previous, new = await sync_to_async(_claim)(digest(token), cookie)
    response = HttpResponse(status=outcome.value)
    response["Cache-Control"] = "no-store"
    if outcome is not _Outcome.REDEEMED:
        logger.info("Refused a login token: %s.", outcome.name.lower())
        return response
    await rebind_arguments(previous, new)
    session = store_class()(new)
    session.modified = True  # SessionMiddleware saves it and sets its cookie on the response
    request.session = session
    rotate_token(request)  # as Django's own login: a CSRF token never outlives the session
    return response
