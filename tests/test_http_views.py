"""The web-module file view: serves ReactPy's module folder, and nothing outside it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.test import Client
from reactpy import web
from reactpy.config import REACTPY_WEB_MODULES_DIR

pytestmark = [pytest.mark.backends, pytest.mark.django_db]


@pytest.fixture
def modules(tmp_path: Path) -> Iterator[Path]:
    """A fresh REACTPY_WEB_MODULES_DIR, with a secret file next to (outside) it."""
    folder = tmp_path / "modules"
    folder.mkdir()
    (tmp_path / "secret.txt").write_text("top secret")
    previous = REACTPY_WEB_MODULES_DIR.current
    REACTPY_WEB_MODULES_DIR.current = folder
    yield folder
    REACTPY_WEB_MODULES_DIR.current = previous


def _body(response: object) -> bytes:
    streaming = getattr(response, "streaming_content", None)
    assert streaming is not None
    return b"".join(streaming)


def test_serves_a_module_as_javascript(modules: Path) -> None:
    web.module_from_string("tests-hello", "export const hello = 1;", resolve_exports=False)
    response = Client().get("/reactpy/web_module/tests-hello.js")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert _body(response) == b"export const hello = 1;"


def test_serves_modules_in_subfolders_and_symlinked_files(modules: Path, tmp_path: Path) -> None:
    web.module_from_string("tests/nested/mod", "export default 2;", resolve_exports=False)
    source = tmp_path / "linked-source.js"
    source.write_text("export default 3;")
    web.module_from_file("tests-linked", source, symlink=True, resolve_exports=False)
    assert (modules / "tests-linked.js").is_symlink()
    client = Client()
    assert _body(client.get("/reactpy/web_module/tests/nested/mod.js")) == b"export default 2;"
    assert _body(client.get("/reactpy/web_module/tests-linked.js")) == b"export default 3;"


@pytest.mark.parametrize(
    "name",
    [
        "../secret.txt",
        "tests/../../secret.txt",
        "%2e%2e/secret.txt",
        "..%2fsecret.txt",
        "/" + "etc/passwd",
        "..\\secret.txt",
        "./tests-hello.js",
        "tests-hello.js%00.png",
        "missing.js",
        "tests",  # a folder
        "",
    ],
)
def test_refuses_names_outside_the_folder_and_missing_files(modules: Path, name: str) -> None:
    web.module_from_string("tests-hello", "export const hello = 1;", resolve_exports=False)
    (modules / "tests").mkdir(exist_ok=True)
    response = Client().get(f"/reactpy/web_module/{name}")
    assert response.status_code == 404


def test_only_get(modules: Path) -> None:
    web.module_from_string("tests-hello", "export const hello = 1;", resolve_exports=False)
    assert Client().post("/reactpy/web_module/tests-hello.js").status_code == 405
