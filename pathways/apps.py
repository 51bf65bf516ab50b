from django.apps import AppConfig


class PathwaysConfig(AppConfig):
    name = "pathways"
    verbose_name = "Career pathways"

    def ready(self) -> None:
        from pathways import signals  # noqa: F401  (connects the receivers that keep the search text current)
