"""Loading an eligible-population file: all of it or none of it."""

from datetime import date

from django.db import transaction
from django.utils import timezone

from accounts.audit import audit_record
from accounts.models import Region, User
from config.errors import DomainError
from population.models import EligiblePopulationCount, EligiblePopulationUpload
from population.parsing import FileProblems, parse_eligible_population


class UploadRejected(DomainError):
    """The file was not loaded; `problems` names each bad line and what is wrong with it."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("The file was not loaded. Fix these problems and upload it again.", field="file")
        self.problems = problems


def eligible_population_upload(
    *, uploaded_by: User, file_name: str, data: bytes, source: str, as_of: date
) -> EligiblePopulationUpload:
    """Check every line of the file first; load it only if all are right, in one transaction. The new counts are
    the ones in use for the professions the file covers; earlier uploads stay for the record. Both outcomes are
    audited (a rejected file by its problems' count, never its content)."""
    if as_of > timezone.localdate():
        raise DomainError("The date the counts describe must be today or in the past", field="as_of")
    try:
        lines = parse_eligible_population(
            data=data, file_name=file_name, regions=dict(Region.objects.values_list("slug", "pk"))
        )
    except FileProblems as rejected:
        audit_record(
            actor=uploaded_by,
            action="eligible_population.rejected",
            detail={"file_name": file_name[:200], "problems": len(rejected.problems)},
        )
        raise UploadRejected(rejected.problems) from None

    with transaction.atomic():
        upload = EligiblePopulationUpload(
            uploaded_by=uploaded_by, source=source.strip(), as_of=as_of, file_name=file_name[:200], lines=len(lines)
        )
        upload.full_clean()
        upload.save()
        EligiblePopulationCount.objects.bulk_create(
            [
                EligiblePopulationCount(
                    upload=upload,
                    profession=line.profession,
                    region_id=line.region_id,
                    attribute=line.attribute,
                    group=line.group,
                    count=line.count,
                )
                for line in lines
            ],
            batch_size=2000,
        )
        audit_record(
            actor=uploaded_by,
            action="eligible_population.uploaded",
            subject=upload,
            detail={
                "source": upload.source,
                "as_of": as_of.isoformat(),
                "file_name": upload.file_name,
                "lines": len(lines),
                "professions": sorted({line.profession for line in lines}),
            },
        )
    return upload
