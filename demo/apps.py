from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data for `make run` and the bench: installed everywhere so `seed_demo` is a command, but no product
    module imports it (tests/demo/test_imports.py holds that)."""

    name = "demo"
    verbose_name = "Demo data"
