"""Every code example of the documentation site: checked by mypy and basedpyright, run by
`tests/test_docs_examples.py`, and included into the pages with pymdownx.snippets."""
