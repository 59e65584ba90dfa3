"""`static_file_text`: found once, read once, re-read when edited; a missing file named."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders

from reactpy_django import _static_assets
from reactpy_django._static_assets import once_per_mount, static_file_text


def test_a_file_is_found_and_read_once_then_reread_when_edited(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    asset = tmp_path / "asset.css"
    asset.write_text("p { color: red; }")
    lookups: list[str] = []

    def find(path: str) -> str:
        lookups.append(path)
        return str(asset)

    monkeypatch.setattr(finders, "find", find)
    monkeypatch.setattr(_static_assets, "_cache", {})
    assert static_file_text("app/asset.css") == "p { color: red; }"
    assert static_file_text("app/asset.css") == "p { color: red; }"
    assert lookups == ["app/asset.css"]
    asset.write_text("p { color: blue; }")
    stat = asset.stat()
    os.utime(asset, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert static_file_text("app/asset.css") == "p { color: blue; }"


def test_a_real_static_file_is_found_through_the_finders() -> None:
    assert "rgb(12, 34, 56)" in static_file_text("tests/view_assets.css")


def test_a_missing_file_is_an_error_naming_the_path() -> None:
    with pytest.raises(FileNotFoundError, match=r"'tests/no-such-file\.css' was not found"):
        static_file_text("tests/no-such-file.css")


def test_the_script_guard_keeps_the_text_and_names_the_instance() -> None:
    guarded = once_per_mount("window.x = 1 // a comment at the end", "abc")
    assert '"abc"' in guarded
    assert "window.x = 1 // a comment at the end\n}" in guarded
