"""reactpy_django.database.Router: 5.2.1's router path, typed as ReactPyRouter is."""

from __future__ import annotations

from typing import assert_type

from reactpy_django.database import Router
from reactpy_django.models import UnconvertedUserData, UserDataModel
from reactpy_django.routers import ReactPyRouter

router = Router()
mine: ReactPyRouter = router  # the same router, usable where ReactPyRouter is expected
assert_type(router.db_for_read(UserDataModel), str | None)
assert_type(router.db_for_write(UnconvertedUserData), str | None)
assert_type(router.allow_migrate("default", "reactpy_django"), bool | None)
router.db_for_read("reactpy_django.UserDataModel")  # E: arg-type reportArgumentType

kept = UnconvertedUserData(user_pk="1", data=b"\xff", error="not valid JSON")
assert_type(kept.data, bytes | memoryview)  # PostgreSQL returns a memoryview
assert_type(kept.error, str)
