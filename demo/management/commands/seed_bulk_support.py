from django.core.management.base import BaseCommand

from demo.bulk_support import support_population_seed


class Command(BaseCommand):
    help = (
        "Add follow-ups, conversations, plans, mentoring and talent pools to the synthetic national population "
        "(once; nothing when they are there already)."
    )

    def handle(self, *args, **options) -> None:
        result = support_population_seed(progress=self.stdout.write)
        if not result.seeded:
            self.stdout.write("Support data: already there, or no synthetic training bodies to add it for.")
            return
        rows = ", ".join(f"{count:,} {key}" for key, count in result.rows.items() if count)
        self.stdout.write(self.style.SUCCESS(f"Support data added in {result.seconds:.1f} s: {rows}."))
