"""MkDocs hook: the Performance page shows the plot the benchmark wrote (`bench/out/`), or
says how to produce it when there is none, so the site never carries a stale copy."""

from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

PLOT = Path(__file__).resolve().parent.parent / "bench" / "out" / "benchmark.png"
"""Where `python -m bench.run` writes its plot."""
MARKER = "<!-- benchmark-plot -->"
"""The place on the Performance page where the plot (or how to make it) goes."""
_SITE_PATH = "benchmark.png"

_SHOWN = f"![The benchmark's figures against their floors]({_SITE_PATH})"
_MISSING = """!!! note "No benchmark plot yet"
    `bench/out/benchmark.png` did not exist when this site was built. Run the benchmark
    (`PYTHONPATH=.:demo .venv/bin/python -m bench.run`, about 6 minutes, or `--quick`),
    then build or serve the site again: the plot appears here."""


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Serve the benchmark's own plot file, when it exists, as `benchmark.png` beside the pages
    (the Performance page links it by that name)."""
    if PLOT.is_file():
        plot = File(
            _SITE_PATH,
            src_dir=str(PLOT.parent),
            dest_dir=config.site_dir,
            use_directory_urls=config.use_directory_urls,
        )
        files.append(plot)
    return files


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Put the plot, or the way to produce it, where the Performance page marks it."""
    if MARKER not in markdown:
        return markdown
    return markdown.replace(MARKER, _SHOWN if PLOT.is_file() else _MISSING)
