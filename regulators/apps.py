from django.apps import AppConfig


class RegulatorsConfig(AppConfig):
    name = "regulators"
    verbose_name = "Regulators"
