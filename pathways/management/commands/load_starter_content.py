from django.core.management.base import BaseCommand, CommandError

from pathways.content_files import ContentError
from pathways.starter_content import starter_content_load
from regulators.starter_content import guidance_starter_content_load


class Command(BaseCommand):
    help = (
        "Load the starter pathways and opportunities that are missing (by slug), published. Existing items keep "
        "editors' changes unless --refresh is given. Application windows are set relative to today; they and other "
        "details are illustrative."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--refresh", action="store_true", help="Overwrite existing starter items too.")

    def handle(self, *args, refresh: bool = False, **options) -> None:
        try:
            counts = starter_content_load(refresh=refresh)
            self.stdout.write(self.style.SUCCESS(f"Starter content loaded. {counts}"))
            self.stdout.write(self.style.SUCCESS(str(guidance_starter_content_load(refresh=refresh))))
        except ContentError as error:  # an editor's file: say which and what, without a traceback
            raise CommandError(str(error)) from error
