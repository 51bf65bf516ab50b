from django.core.management.base import BaseCommand, CommandError

from pathways.content_files import ContentError
from regulators.starter_content import guidance_starter_content_load


class Command(BaseCommand):
    help = (
        "Load the starter licence guidance that is missing (by regulator and slug), published as version 1. "
        "Existing items keep editors' changes unless --refresh is given (which rewrites version 1 only)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--refresh", action="store_true", help="Overwrite version 1 of existing starter items.")

    def handle(self, *args, refresh: bool = False, **options) -> None:
        try:
            counts = guidance_starter_content_load(refresh=refresh)
        except ContentError as error:  # an editor's file: say which and what, without a traceback
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(str(counts)))
