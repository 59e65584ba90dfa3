"""Load benchmark of reactpy_django against bare Channels floors (`python -m bench.run`)."""
