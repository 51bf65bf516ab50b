"""Starter content: pathways into senior clinical leadership and the development opportunities they suggest.

The words live in pathways/content/ (one Markdown file per item, see its README), written in this project's own
words from the public facts in DESIGN.md section 7. Loaded (and refreshed) by `python manage.py load_starter_content`,
then edited by content editors in the admin site.

IMPORTANT: application windows, places, eligibility details and timings are ILLUSTRATIVE. Windows are counted from
the day the command runs so a demo always has some opportunities open, some opening later and some closed.
Providers change their schemes every year: check every detail with the provider before publishing for real.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from pathways.content_files import ContentError, Field, content_folder_read
from pathways.models import ContentStatus, LeadershipRole, Opportunity, OpportunityKind, Pathway, PathwayStep
from regulators.models import Profession
from talent.models import CareerStage, Dimension

CONTENT = Path(__file__).resolve().parent / "content"
CHECK_WITH_PROVIDER = "\n\n*Dates and details here are illustrative: check them with the provider before you apply.*"
# With a link to the provider when there is one (every cross reference is a link).
CHECK_WITH_PROVIDER_LINKED = (
    "\n\n*Dates and details here are illustrative: check them with [the provider]({link}) before you apply.*"
)

OPPORTUNITY_FIELDS = {
    "title": Field(),
    "provider": Field(),
    "kind": Field(choices=OpportunityKind.values),
    "summary": Field(),
    "link": Field(),
    "professions": Field(list, Profession.values, required=False),
    "career_stages": Field(list, CareerStage.values, required=False),
    "min_specialty_training_year": Field(int, required=False),
    "min_years_since_registration": Field(int, required=False),
    "max_years_since_registration": Field(int, required=False),
    "takes_trainee_out_of_programme": Field(bool, required=False),
    "nomination_required": Field(bool, required=False),
    "applications_through_service": Field(bool, required=False),
    "places": Field(int, required=False),
    # The application window, in days from the day the content loads (negative: already open).
    "opens_in_days": Field(int),
    "closes_in_days": Field(int),
    # What an approved clinician does next; when it runs, likewise in days from the day the content loads.
    "next_steps": Field(required=False),
    "starts_in_days": Field(int, required=False),
    "ends_in_days": Field(int, required=False),
    "contact_name": Field(required=False),
    "contact_email": Field(required=False),
}
PATHWAY_FIELDS = {
    "title": Field(),
    "summary": Field(),
    "professions": Field(list, Profession.values),
    "target_role": Field(),
    "steps": Field(list),
}
STEP_FIELDS = {
    "title": Field(),
    "description": Field(),
    "typical_duration": Field(),
    "dimensions": Field(list, Dimension.values),
    "opportunities": Field(list, required=False),
}


def opportunity_records(folder: Path | None = None) -> list[dict]:
    """The starter opportunities from their files: the front matter, the slug, `description` (the Markdown) and
    `window` (opens, closes) in days from the day they load."""
    records = []
    for item in content_folder_read(folder or CONTENT / "opportunities"):
        fields = item.checked(OPPORTUNITY_FIELDS)
        window = (fields.pop("opens_in_days"), fields.pop("closes_in_days"))
        runs = (fields.pop("starts_in_days", None), fields.pop("ends_in_days", None))
        records.append(
            {
                "slug": item.slug,
                **fields,
                "description": item.body,
                "window": window,
                "runs": runs,
                "source": item.name,
            }
        )
    return records


def pathway_records(folder: Path | None = None, opportunities: list[dict] | None = None) -> list[dict]:
    """The starter pathways from their files: the front matter, the slug and `body` (the Markdown). A step may
    suggest only starter opportunities, so the two folders load together."""
    slugs = {record["slug"] for record in (opportunity_records() if opportunities is None else opportunities)}
    records = []
    for item in content_folder_read(folder or CONTENT / "pathways"):
        fields = item.checked(PATHWAY_FIELDS)
        if not fields["steps"]:
            raise item.error("steps: a pathway needs at least one step")
        steps = []
        for number, step_fields in enumerate(fields["steps"], start=1):
            step_data = {"opportunities": [], **item.checked(STEP_FIELDS, step_fields, where=f"step {number}: ")}
            unknown = [slug for slug in step_data["opportunities"] if slug not in slugs]
            if unknown:
                raise item.error(f"step {number}: no starter opportunity {', '.join(map(str, unknown))}")
            steps.append(step_data)
        records.append({"slug": item.slug, **fields, "steps": steps, "body": item.body, "source": item.name})
    return records


# --- Loading --------------------------------------------------------------------------------------------------------
@dataclass
class LoadCounts:
    opportunities_created: int = 0
    opportunities_updated: int = 0
    pathways_created: int = 0
    pathways_updated: int = 0
    steps: int = 0

    def __str__(self) -> str:
        return (
            f"Opportunities: {self.opportunities_created} created, {self.opportunities_updated} updated. "
            f"Pathways: {self.pathways_created} created, {self.pathways_updated} updated ({self.steps} steps). "
            "All published."
        )


def _opportunity_defaults(data: dict, today: date) -> dict:
    opens, closes = data["window"]
    starts, ends = data.get("runs", (None, None))
    fields = {key: value for key, value in data.items() if key not in {"slug", "window", "runs", "source"}}
    check = CHECK_WITH_PROVIDER_LINKED.format(link=data["link"]) if data.get("link") else CHECK_WITH_PROVIDER
    fields["description"] = data["description"] + check
    fields.setdefault("professions", [])
    fields.setdefault("career_stages", [])
    fields.setdefault("min_specialty_training_year", None)
    fields.setdefault("min_years_since_registration", None)
    fields.setdefault("max_years_since_registration", None)
    fields.setdefault("takes_trainee_out_of_programme", False)
    fields.setdefault("nomination_required", False)
    fields.setdefault("applications_through_service", True)
    fields.setdefault("places", None)
    for text in ("next_steps", "contact_name", "contact_email"):
        fields.setdefault(text, "")
    fields["opens_on"] = today + timedelta(days=opens)
    fields["closes_on"] = today + timedelta(days=closes)
    fields["starts_on"] = None if starts is None else today + timedelta(days=starts)
    fields["ends_on"] = None if ends is None else today + timedelta(days=ends)
    return fields


def _publish(obj) -> None:
    """Publish new starter items; an existing item keeps the status an editor gave it, even on --refresh."""
    if obj._state.adding:
        obj.status = ContentStatus.PUBLISHED
    if obj.status == ContentStatus.PUBLISHED and obj.published_at is None:
        obj.published_at = timezone.now()


def _full_clean(obj, source: str) -> None:
    try:
        obj.full_clean()
    except ValidationError as error:
        raise ContentError(f"{source}: {'; '.join(error.messages)}") from error


@transaction.atomic
def starter_content_load(*, today: date | None = None, refresh: bool = False) -> LoadCounts:
    """Create the starter opportunities and pathways that are missing (by slug), published. Items that exist are
    left as editors made them, unless `refresh` asks to overwrite them (and move the demo windows to today)."""
    today = today or timezone.localdate()
    counts = LoadCounts()
    opportunity_data = opportunity_records()
    pathway_data = pathway_records(opportunities=opportunity_data)  # every file is read before anything is written
    opportunities: dict[str, Opportunity] = {}
    for data in opportunity_data:
        opportunity = Opportunity.objects.filter(slug=data["slug"]).first()
        created = opportunity is None
        if not created and not refresh:
            opportunities[opportunity.slug] = opportunity
            continue
        opportunity = opportunity or Opportunity(slug=data["slug"])
        for name, value in _opportunity_defaults(data, today).items():
            setattr(opportunity, name, value)
        _publish(opportunity)
        _full_clean(opportunity, data["source"])
        opportunity.save()
        opportunities[opportunity.slug] = opportunity
        if created:
            counts.opportunities_created += 1
        else:
            counts.opportunities_updated += 1

    roles = {role.slug: role for role in LeadershipRole.objects.all()}
    for data in pathway_data:
        if data["target_role"] not in roles:
            raise ContentError(f"{data['source']}: target_role {data['target_role']} is not a leadership role")
        pathway = Pathway.objects.filter(slug=data["slug"]).first()
        created = pathway is None
        if not created and not refresh:
            continue
        pathway = pathway or Pathway(slug=data["slug"])
        pathway.title = data["title"]
        pathway.summary = data["summary"]
        pathway.body = data["body"]
        pathway.professions = data["professions"]
        pathway.target_role = roles[data["target_role"]]
        _publish(pathway)
        _full_clean(pathway, data["source"])
        pathway.save()
        for order, step_data in enumerate(data["steps"], start=1):
            pathway_step, _ = PathwayStep.objects.update_or_create(
                pathway=pathway,
                order=order,
                defaults={
                    "title": step_data["title"],
                    "description": step_data["description"],
                    "typical_duration": step_data["typical_duration"],
                    "dimensions": step_data["dimensions"],
                },
            )
            pathway_step.suggested_opportunities.set([opportunities[slug] for slug in step_data["opportunities"]])
            counts.steps += 1
        PathwayStep.objects.filter(pathway=pathway, order__gt=len(data["steps"])).delete()
        if created:
            counts.pathways_created += 1
        else:
            counts.pathways_updated += 1
    return counts
