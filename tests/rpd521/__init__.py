"""A reactpy-django 5.2.1 site, run by tests/test_switch.py in 5.2.1's own venv (not ours)."""
