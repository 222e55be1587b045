"""Benchmarks, one command each (`.venv/bin/python -m bench.<name>`); not tests, nothing asserted."""
