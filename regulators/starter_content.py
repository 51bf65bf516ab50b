"""Starter licence guidance for senior leaders, in this project's own words from the facts in DESIGN.md section 7.

The words live in regulators/content/guidance/<regulator code>/ (one Markdown file per item, see the README there).
Each item links to the regulator's own page, which is the authority. Loaded by `python manage.py load_guidance` (and
by `load_starter_content`, which `seed_demo` runs); then content editors keep it current in the admin site.

IMPORTANT: this is a summary to help clinicians find the right questions to ask, not the regulators' wording. Check
every detail against the linked page before relying on it, and review each item at least yearly.
"""

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from pathways.content_files import ContentError, Field, content_folder_read
from pathways.models import LeadershipRole, RoleLevel
from regulators.models import GuidanceStatus, GuidanceTopic, LicenceGuidance, LicenceGuidanceVersion, Regulator

CONTENT = Path(__file__).resolve().parent / "content" / "guidance"
# The regulator's page is named, so it is a link (every cross reference in guidance is one).
CHECK = (
    "\n\n*This is a summary in our words. [The regulator's own page]({source_url}) is the authority: check it before "
    "you rely on it.*"
)
# The heading, in the same words as the page, that starts an item's second section in its file.
SENIOR_LEADERS_HEADING = "# How this applies to senior leaders"

GUIDANCE_FIELDS = {
    "title": Field(),
    "summary": Field(),
    "topics": Field(list, GuidanceTopic.values),
    "role_levels": Field(list, RoleLevel.values),
    "roles": Field(list),
    "source_url": Field(),
}


def guidance_records(folder: Path | None = None) -> list[dict]:
    """The starter guidance from its files, a folder per regulator: the front matter, the regulator's code, the slug,
    `body` and `senior_leaders` (the Markdown before and after the senior-leaders heading)."""
    folder = folder or CONTENT
    if not folder.is_dir():
        raise ContentError(f"{folder}: the starter content folder is missing")
    records = []
    for regulator in sorted(path for path in folder.iterdir() if path.is_dir()):
        for item in content_folder_read(regulator):
            fields = item.checked(GUIDANCE_FIELDS)
            sections = [section.strip() for section in item.body.split(f"\n{SENIOR_LEADERS_HEADING}\n")]
            if len(sections) != 2 or not all(sections):
                raise item.error(f"needs its text, then a line '{SENIOR_LEADERS_HEADING}' once, then that section")
            records.append(
                {
                    "regulator": regulator.name,
                    "slug": item.slug,
                    **fields,
                    "body": sections[0],
                    "senior_leaders": sections[1],
                    "source": item.name,
                }
            )
    return records


@dataclass
class GuidanceLoadCounts:
    created: int = 0
    updated: int = 0

    def __str__(self) -> str:
        return f"Licence guidance: {self.created} created, {self.updated} updated."


@transaction.atomic
def guidance_starter_content_load(*, refresh: bool = False, today: date | None = None) -> GuidanceLoadCounts:
    """Create the starter guidance items that are missing, each with a published first version. With `refresh`,
    overwrite the newest version's words of existing starter items (editors' later versions are left alone when
    they are not from the starter content: only version 1 is refreshed)."""
    today = today or timezone.localdate()
    counts = GuidanceLoadCounts()
    records = guidance_records()
    regulators = {regulator.code: regulator for regulator in Regulator.objects.all()}
    roles = {role.slug: role for role in LeadershipRole.objects.all()}
    for data in records:
        if data["regulator"] not in regulators:
            raise ContentError(f"{data['source']}: its folder is not a regulator's code ({', '.join(regulators)})")
        unknown = [slug for slug in data["roles"] if slug not in roles]
        if unknown:
            raise ContentError(f"{data['source']}: roles: {', '.join(unknown)} is not a leadership role")
        guidance, _ = LicenceGuidance.objects.get_or_create(regulator=regulators[data["regulator"]], slug=data["slug"])
        version = guidance.versions.filter(number=1).first()
        if version is not None and not refresh:
            continue
        is_new = version is None
        version = version or LicenceGuidanceVersion(guidance=guidance, number=1)
        version.title = data["title"]
        version.summary = data["summary"]
        version.body = data["body"] + CHECK.format(source_url=data["source_url"])
        version.senior_leaders = data["senior_leaders"]
        version.topics = data["topics"]
        version.role_levels = data["role_levels"]
        version.source_url = data["source_url"]
        version.effective_from = version.effective_from or today
        version.last_reviewed_on = version.last_reviewed_on or today
        if is_new and not guidance.versions.filter(status=GuidanceStatus.PUBLISHED).exists():
            version.status = GuidanceStatus.PUBLISHED
            version.published_at = timezone.now()
        try:
            version.full_clean()
        except ValidationError as error:
            raise ContentError(f"{data['source']}: {'; '.join(error.messages)}") from error
        version.save()
        version.roles.set([roles[slug] for slug in data["roles"]])
        if is_new:
            counts.created += 1
        else:
            counts.updated += 1
    return counts
