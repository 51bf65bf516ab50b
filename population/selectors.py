"""Reads of the eligible population: the uploads for their page, and the comparison of the service's clinicians
with the register that the HEE dashboard, its API and its CSV show.

The register counts are public and shown as given. Every count of the service's clinicians follows the small-number
rule (`pipeline.suppression`); the shares and relative likelihoods are worked out from those counts as shown, so they
give away nothing the counts do not.
"""

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import replace

from django.db.models import Sum
from django.utils.formats import date_format

from accounts.models import Region, User
from pipeline.likelihood import FIGURE, relative_likelihood
from pipeline.models import PipelineCoarseBackgroundRollup
from pipeline.selectors.figures import EQUALITY_ATTRIBUTES
from pipeline.selectors.scope import PipelineFilters, pipeline_scope_for, rollup_filter_q
from pipeline.suppression import HIDDEN, suppress_table
from population.models import EligiblePopulationCount, EligiblePopulationUpload
from regulators.models import Profession
from talent.models import EthnicGroup, YesNo

# The group each other group is compared with: as the Workforce Race Equality Standard does for ethnic group, and
# people without a disability; for the other attributes, the largest group of the eligible population.
REFERENCE_GROUPS = {"ethnic_group": EthnicGroup.WHITE.value, "disability": YesNo.NO.value}
NOT_A_REFERENCE = {"", "prefer_not_to_say"}
PROFESSION_LABELS = dict(Profession.choices)

TRAINING_BODY_VIEW = (
    "There is no register comparison for training bodies: registers count everyone of a profession in a region, "
    "not a training body's members."
)
OTHER_FILTERS = (
    "The register comparison is not shown with these filters: registers count people by profession and region "
    "only. Filter by profession (and region) alone to see it."
)
NO_PROFESSION = "Choose a profession to compare with its register: registers publish their counts per profession."


# --- The uploads page -----------------------------------------------------------------------------------------------


def eligible_population_uploads() -> list[dict]:
    """Every upload, latest first, with the professions it covers and, of those, the ones whose figures it still
    gives (a later upload covering a profession replaces it for that profession). Two queries, however many."""
    uploads = list(EligiblePopulationUpload.objects.select_related("uploaded_by").order_by("-pk"))
    covered: dict[int, set[str]] = defaultdict(set)
    for upload_id, profession in (
        EligiblePopulationCount.objects.values_list("upload_id", "profession").distinct().order_by()
    ):
        covered[upload_id].add(profession)
    current: dict[str, int] = {}
    for upload_id in sorted(covered):
        for profession in covered[upload_id]:
            current[profession] = upload_id
    rows = []
    for upload in uploads:
        professions = sorted(covered[upload.pk], key=lambda code: PROFESSION_LABELS.get(code, code))
        rows.append(
            {
                "upload": upload,
                "professions": [PROFESSION_LABELS.get(code, code) for code in professions],
                "in_use_for": [PROFESSION_LABELS.get(code, code) for code in professions if current[code] == upload.pk],
            }
        )
    return rows


def region_codes() -> list[tuple[str, str]]:
    """The regions' codes (slugs) and names, for the file format's list."""
    return list(Region.objects.order_by("name").values_list("slug", "name"))


def eligible_population_version() -> int:
    """Changes with every upload: part of the dashboard's cache key, so a new upload shows at once."""
    return EligiblePopulationUpload.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


# --- The comparison -------------------------------------------------------------------------------------------------


def _not_shown(message: str, **known) -> dict:
    return {
        "comparable": False,
        "message": message,
        "area": None,
        "profession": None,
        "profession_label": None,
        "source": None,
        "as_of": None,
        "as_of_label": None,
        "uploaded_at": None,
        "attributes": [],
        "not_covered": [],
        **known,
    }


def _share(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _reference_group(attribute: str, eligible: dict[str, int], codes: list[str]) -> str:
    if attribute in REFERENCE_GROUPS:
        return REFERENCE_GROUPS[attribute]
    candidates = [code for code in codes if code not in NOT_A_REFERENCE]
    # The first in the question's order wins a tie, so the choice never depends on the order rows were read in.
    return max(candidates, key=lambda code: (eligible.get(code, 0), -candidates.index(code)))


def _likelihood(a: int, n: int, b: int, m: int) -> dict | None:
    """Registered (a of the eligible n) against the reference group (b of m), or None when there is no figure: a
    count too small, nobody registered, or more registered than the register counts (the two sources disagree, so
    the counts are not a proportion)."""
    if a > n or b > m:
        return None
    found = relative_likelihood(a=a, n=n, b=b, m=m)
    if found.status != FIGURE:
        return None
    return {"ratio": found.ratio, "low": found.low, "high": found.high}


def _attribute_comparison(attribute: str, eligible: dict[str, int], registered: dict[str, int]) -> dict:
    label, choices = EQUALITY_ATTRIBUTES[attribute]
    codes = [code for code, _ in choices]
    # One column whose total (how many clinicians there are) the funnel shows: the same rule as the backgrounds.
    suppressed = suppress_table([[registered.get(code, 0)] for code in codes], row_totals=False, totals_known=True)
    shown = {code: cell[0] for code, cell in zip(codes, suppressed.cells, strict=True)}
    shown_total = suppressed.column_totals[0]
    eligible_total = sum(eligible.values())
    reference = _reference_group(attribute, eligible, codes)

    def number(text: str) -> int | None:
        return None if text == HIDDEN else int(text)

    rows = []
    for code, name in choices:
        group_count, reference_count = number(shown[code]), number(shown[reference])
        likelihood = None
        if code != reference and group_count is not None and reference_count is not None:
            likelihood = _likelihood(group_count, eligible.get(code, 0), reference_count, eligible.get(reference, 0))
        total = number(shown_total)
        rows.append(
            {
                "group": code,
                "label": name,
                "eligible": eligible.get(code, 0),
                "eligible_share": _share(eligible.get(code, 0), eligible_total),
                "registered": shown[code],
                "registered_share": _share(group_count, total) if group_count is not None and total else None,
                "reference": code == reference,
                "likelihood": likelihood,
            }
        )
    return {
        "key": attribute,
        "label": label,
        "reference": reference,
        "reference_label": dict(choices)[reference],
        "eligible_total": eligible_total,
        "registered_total": shown_total,
        "rows": rows,
    }


def eligible_population_comparison(*, user: User, filters: PipelineFilters) -> dict:
    """The clinicians registered with the service against the eligible population, for the view's profession and
    region (England when no region), per equality attribute and group. Registers count people by profession and
    region only, so a view narrowed any other way, or a training body's view, says so instead of showing figures;
    so does a view no upload covers."""
    scope = pipeline_scope_for(user)
    if scope.training_body_ids is not None:
        return _not_shown(TRAINING_BODY_VIEW)
    if replace(filters, region_id=None, profession="").used:
        return _not_shown(OTHER_FILTERS)
    if not filters.profession:
        return _not_shown(NO_PROFESSION)

    profession = filters.profession
    profession_label = PROFESSION_LABELS.get(profession, profession)
    region_id = filters.region_id if filters.region_id is not None else scope.region_id
    known = {"area": None, "profession": profession, "profession_label": profession_label}
    upload = EligiblePopulationUpload.objects.filter(counts__profession=profession).order_by("-pk").first()
    if upload is None:
        return _not_shown(
            f"No eligible population has been loaded for this profession ({profession_label}) yet.", **known
        )
    regions = dict(Region.objects.values_list("pk", "name"))
    known["area"] = regions.get(region_id, "England") if region_id is not None else "England"
    known |= {
        "source": upload.source,
        "as_of": upload.as_of.isoformat(),
        "as_of_label": date_format(upload.as_of, "j F Y"),
        "uploaded_at": upload.uploaded_at.isoformat(),
    }

    counts = EligiblePopulationCount.objects.filter(upload=upload, profession=profession)
    if region_id is not None:
        counts = counts.filter(region_id=region_id)
    eligible: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    regions_with: dict[str, set[int]] = defaultdict(set)
    for row in counts.values("region_id", "attribute", "group", "count").order_by():
        eligible[row["attribute"]][row["group"]] += row["count"]
        regions_with[row["attribute"]].add(row["region_id"])
    needed = {region_id} if region_id is not None else set(regions)
    covered = [attribute for attribute in EQUALITY_ATTRIBUTES if regions_with[attribute] >= needed]
    if not covered:
        loaded = f"The eligible population loaded for this profession ({profession_label}; {upload.source})"
        if region_id is not None:
            return _not_shown(f"{loaded} has no figures for {known['area']}.", **known)
        return _not_shown(f"{loaded} does not cover every region, so there is no figure for England.", **known)

    registered: dict[str, dict[str, int]] = defaultdict(dict)
    for row in (
        PipelineCoarseBackgroundRollup.objects.filter(rollup_filter_q(scope, filters), attribute__in=covered)
        .values("attribute", "value")
        .annotate(n=Sum("clinicians"))
        .order_by()
    ):
        registered[row["attribute"]][row["value"]] = row["n"]
    return {
        "comparable": True,
        "message": "",
        **known,
        "attributes": [_attribute_comparison(key, eligible[key], registered[key]) for key in covered],
        "not_covered": [label for key, (label, _) in EQUALITY_ATTRIBUTES.items() if key not in covered],
    }


def eligible_population_rows(comparison: dict) -> Iterator[list]:
    """The comparison as lines of the dashboard's CSV."""
    yield []
    if not comparison["comparable"]:
        yield ["Compared with the eligible population", comparison["message"]]
        return
    yield [
        f"Compared with the eligible population: {comparison['profession_label']}, {comparison['area']}",
        f"Register counts: {comparison['source']}, as of {comparison['as_of']}",
        "Clinicians registered with the service: small numbers suppressed (* is 1 to 7, others rounded to 5)",
    ]
    for table in comparison["attributes"]:
        yield [
            table["label"],
            "Eligible population",
            "Share of the eligible population (%)",
            "Registered with the service",
            "Share of those registered (%)",
            f"Relative likelihood of being registered (reference: {table['reference_label']})",
            "95% interval, low",
            "95% interval, high",
        ]
        for row in table["rows"]:
            likelihood = row["likelihood"] or {}
            ratio = "1.00 (reference)" if row["reference"] else likelihood.get("ratio", "")
            yield [
                row["label"],
                row["eligible"],
                "" if row["eligible_share"] is None else row["eligible_share"],
                row["registered"],
                "" if row["registered_share"] is None else row["registered_share"],
                ratio,
                likelihood.get("low", ""),
                likelihood.get("high", ""),
            ]
        yield ["Total", table["eligible_total"], "", table["registered_total"], "", "", "", ""]
    if comparison["not_covered"]:
        yield ["Not in the register counts", ", ".join(comparison["not_covered"])]
