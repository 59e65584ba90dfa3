"""The documentation site (`docs/`, `mkdocs.yml`): code only as included examples, every
setting and system check on its page, and a built site whose internal links all resolve."""

from __future__ import annotations

import dataclasses
import os
import re
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from playwright.async_api import Page

from reactpy_django.conf import ReactPySettings
from tests import servers

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
EXAMPLES = DOCS / "examples"
FENCE = re.compile(r"^(?P<indent> *)(?P<fence>```+|~~~+)\s*(?P<lang>[\w+-]*)[^\n]*$")
INCLUDE = re.compile(r'^--8<-- "(?P<name>[^"]+)"$')


def pages() -> list[Path]:
    return sorted(DOCS.rglob("*.md"))


def fenced_blocks(markdown: str) -> Iterator[tuple[int, str, list[str]]]:
    """(line number, language, body lines) of every fenced code block."""
    lines = markdown.splitlines()
    index = 0
    while index < len(lines):
        opening = FENCE.match(lines[index])
        if opening is None:
            index += 1
            continue
        fence, start, body = opening["fence"], index + 1, list[str]()
        index += 1
        while index < len(lines) and not lines[index].strip().startswith(fence):
            body.append(lines[index].strip())
            index += 1
        index += 1
        yield start, opening["lang"].lower(), body


def test_every_python_block_includes_an_example_file() -> None:
    problems: list[str] = []
    python_blocks = 0
    for path in pages():
        for line, lang, body in fenced_blocks(path.read_text()):
            if lang not in ("python", "py", "python3", "pycon"):
                continue
            python_blocks += 1
            where = f"{path.relative_to(ROOT)}:{line}"
            names = [match["name"] for row in body if row and (match := INCLUDE.match(row))]
            if not body or len(names) != len([row for row in body if row]):
                problems.append(f"{where}: pasted code; put it in docs/examples/ and include it")
                continue
            for name in names:
                target = (EXAMPLES / name).resolve()
                if not target.is_file() or EXAMPLES.resolve() not in target.parents:
                    problems.append(f"{where}: {name!r} is not a file under docs/examples/")
    assert python_blocks > 30
    assert not problems, "\n".join(problems)


def test_the_fenced_block_check_catches_pasted_code() -> None:
    markdown = '```python\n--8<-- "hello.py"\n```\n\n```py\nprint("pasted")\n```\n'
    blocks = list(fenced_blocks(markdown))
    assert [(lang, body) for _, lang, body in blocks] == [
        ("python", ['--8<-- "hello.py"']),
        ("py", ['print("pasted")']),
    ]


def test_every_example_is_on_a_page() -> None:
    included = {
        match["name"]
        for path in pages()
        for _, _, body in fenced_blocks(path.read_text())
        for row in body
        if (match := INCLUDE.match(row))
    }
    examples = {
        path.relative_to(EXAMPLES).as_posix()
        for path in EXAMPLES.rglob("*")
        if path.is_file() and path.name != "__init__.py" and "__pycache__" not in path.parts
    }
    assert examples - included == set()


def test_the_settings_page_has_every_setting_with_its_default() -> None:
    page = (DOCS / "settings.md").read_text()
    rows = {
        match[1]: match[2]
        for match in re.finditer(
            r"^\| `(REACTPY_\w+)` \| [^|]*(?:\\\|[^|]*)*\| `([^`]*)` \|", page, re.M
        )
    }
    for field in dataclasses.fields(ReactPySettings):
        name = f"REACTPY_{field.name.upper()}"
        assert name in rows, f"{name} has no row on docs/settings.md"
        default = field.default
        shown = rows[name]
        expected = '"' + default + '"' if isinstance(default, str) else repr(default)
        assert shown.replace("_", "") == expected.replace("_", ""), (name, shown, expected)
    assert rows.get("REACTPY_DEBUG_MODE") == "None"  # read by reactpy_django._debug


def test_the_checks_page_has_every_check() -> None:
    ids = {
        match[1]
        for path in (ROOT / "reactpy_django").rglob("*.py")
        for match in re.finditer(r'id="reactpy_django\.(\w+)"', path.read_text())
    }
    page = (DOCS / "checks.md").read_text()
    listed = set(re.findall(r"^\| (\w\d{3}) \|", page, re.M))
    assert ids, "no check ids found in reactpy_django/"
    assert ids == listed


@pytest.fixture(scope="module")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site, built with `mkdocs build --strict` as scripts/check does."""
    out = tmp_path_factory.mktemp("site")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)]
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="module")
def site_url(built_site: Path) -> Iterator[str]:
    """The built site served over HTTP on 127.0.0.1 by Python's http.server."""
    port = servers.free_port()
    command = [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"]
    process = subprocess.Popen(
        [*command, "--directory", str(built_site)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )

    def listening() -> bool:
        with socket.socket() as sock:
            return sock.connect_ex(("127.0.0.1", port)) == 0

    try:
        servers.wait_until(listening, 10, "the docs' http.server")
        yield f"http://127.0.0.1:{port}/"
    finally:
        process.terminate()
        process.wait(10)


@pytest.mark.browser
async def test_every_internal_link_of_the_built_site_resolves(page: Page, site_url: str) -> None:
    to_visit, visited, broken = [site_url], set[str](), list[str]()
    ids: dict[str, set[str]] = {}  # page URL -> the ids on it
    fragments: list[tuple[str, str, str]] = []  # (linking page, target page, fragment)
    while to_visit:
        url = to_visit.pop()
        if url in visited:
            continue
        visited.add(url)
        response = await page.goto(url)
        if response is None or response.status != 200:
            broken.append(f"{url}: {response.status if response else 'no response'}")
            continue
        if "text/html" not in (await response.all_headers()).get("content-type", ""):
            continue  # an image, a stylesheet, a script: nothing to follow
        ids[url] = set(await page.eval_on_selector_all("[id]", "els => els.map(e => e.id)"))
        hrefs: list[str] = await page.eval_on_selector_all(
            "a[href], img[src], link[rel=stylesheet][href], script[src]",
            "els => els.map(e => e.getAttribute('href') ?? e.getAttribute('src'))",
        )
        for href in hrefs:
            target = urljoin(url, href)
            if urlsplit(target).netloc != urlsplit(site_url).netloc:
                continue
            bare, fragment = urldefrag(target)
            if fragment:
                fragments.append((url, bare, fragment))
            to_visit.append(bare)
    for source, target, fragment in fragments:
        if target in ids and fragment not in ids[target]:
            broken.append(f"{source} links to {target}#{fragment}: no element has that id")
    assert len(ids) == len(pages()), sorted(ids)  # every page was reached from the first
    assert not broken, "\n".join(broken)


@pytest.mark.parametrize("exists", [True, False], ids=["plot", "no-plot"])
def test_the_performance_page_uses_the_benchmarks_own_plot(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, exists: bool
) -> None:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import File, Files
    from mkdocs.structure.pages import Page as MkDocsPage

    from docs import _benchmark_hook as hook

    plot = tmp_path / "benchmark.png"
    if exists:
        plot.write_bytes(b"\x89PNG written by bench.run")
    monkeypatch.setattr(hook, "PLOT", plot)
    config = MkDocsConfig()
    assert isinstance(config, MkDocsConfig)  # mkdocs' `Config.__new__` is typed as the base class
    values = {"site_name": "test", "docs_dir": str(DOCS), "site_dir": str(tmp_path)}
    config.load_dict(values)  # pyright: ignore[reportUnknownMemberType]  # mkdocs types it `dict`
    assert config.validate() == ([], [])
    files = hook.on_files(Files([]), config)
    source = File("performance.md", str(DOCS), str(tmp_path / "site"), use_directory_urls=True)
    page = MkDocsPage("Performance", source, config)
    markdown = hook.on_page_markdown(f"Before\n\n{hook.MARKER}\n\nAfter", page, config, files)
    served = files.get_file_from_path("benchmark.png")
    if exists:
        assert served is not None
        assert served.abs_src_path == str(plot)  # the benchmark's file itself, no copy in docs/
        assert "![The benchmark's figures against their floors](benchmark.png)" in markdown
    else:
        assert served is None
        assert '!!! note "No benchmark plot yet"' in markdown
        assert "python -m bench.run" in markdown
    assert hook.MARKER not in markdown
