"""`make bench`: the performance figures (see bench/run.py)."""
