from django.apps import AppConfig


class TalentConfig(AppConfig):
    name = "talent"
    verbose_name = "Talent"

    def ready(self) -> None:
        from talent import checks  # noqa: F401 - registers the check that profiles' copies agree with accounts
