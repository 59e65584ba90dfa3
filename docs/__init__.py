"""The documentation site's sources; `docs.examples` holds every example as code."""
