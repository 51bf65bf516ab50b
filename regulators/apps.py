from django.apps import AppConfig


class RegulatorsConfig(AppConfig):
    name = "regulators"
    verbose_name = "Regulators and licence guidance"

    def ready(self) -> None:
        # Registers the revalidation reminder's send-time context builder with the outbox.
        from regulators import services  # noqa: F401
