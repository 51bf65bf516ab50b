"""Succession: for each region and senior role level, how many active talent-pool members their owners assess as
ready now and ready in 1 to 2 years, by profession, and where no one is ready now.

Who sees what: national HEE staff every pool across England; regional HEE staff the members of any pool who work in
their region (the same national/regional test as `talent.selectors.pools.pools_owned_by`, `hee_region`); a
training-body admin their bodies' pools only. A region is the clinician's (so a national pool's members count where
they work), and a clinician counts once per region and role level however many pools they are in, at the best
readiness any of those pools gives them. Only members their pool's owners may still see count: a member who left,
whose account closed, who withdrew the consent the pool relies on or whose profession the pool is no longer for is
in no figure.

Everything is counted in the database (GROUP BY), in a fixed number of queries whatever the number of members.
These are counts, never names: the per-profession figures link only to pools the asker owns. Profession is not
equality data and readiness by profession is what the view is for, so those figures are exact; the backgrounds of
the members (their equality answers) follow the small-number rule in every cell (`pipeline.suppression`).
"""

from dataclasses import dataclass, field

from django.db.models import Count, F, Q, QuerySet, Value
from django.db.models.functions import Coalesce
from django.http import Http404

from accounts.models import Region, TrainingBody, User
from accounts.permissions import Permission, user_can
from pathways.models import RoleLevel
from pipeline.selectors.scope import PipelineScope, pipeline_scope_for
from pipeline.suppression import suppress_table
from regulators.models import Profession
from talent.models import (
    POOL_ROLE_LEVELS,
    AgeBand,
    EthnicGroup,
    MembershipState,
    PoolMembership,
    Readiness,
    Sex,
    TalentPool,
    YesNo,
)
from talent.selectors.pools import pools_owned_by, seen_by_owners_q

NOT_ANSWERED = ("", "Not answered")
# The backgrounds shown: the equality questions HEE's dashboard breaks down by (sexual orientation and religion are
# left out: in a pool of a few dozen they would be nothing but suppressed cells).
BACKGROUND_ATTRIBUTES: dict[str, tuple[str, list]] = {
    "sex": ("Sex", [*Sex.choices, NOT_ANSWERED]),
    "ethnic_group": ("Ethnic group", [*EthnicGroup.choices, NOT_ANSWERED]),
    "disability": ("Disability", [*YesNo.choices, NOT_ANSWERED]),
    "age_band": ("Age", [*AgeBand.choices, NOT_ANSWERED]),
}


@dataclass
class ProfessionFigures:
    profession: str
    label: str
    members: int
    ready_now: int
    ready_1_2_years: int


@dataclass
class SuccessionCell:
    """One region and role level."""

    region: Region
    role_level: str
    members: int = 0
    ready_now: int = 0
    ready_1_2_years: int = 0
    professions: list[ProfessionFigures] = field(default_factory=list)

    @property
    def role_level_label(self) -> str:
        return RoleLevel(self.role_level).label

    @property
    def no_ready_now(self) -> bool:
        return self.ready_now == 0


@dataclass
class SuccessionRow:
    region: Region
    cells: list[SuccessionCell]


@dataclass
class BackgroundRow:
    value: str
    label: str
    members: str
    ready_now: str


@dataclass
class BackgroundTable:
    key: str
    label: str
    rows: list[BackgroundRow]
    total_members: str
    total_ready_now: str


@dataclass
class Succession:
    scope: PipelineScope
    description: str
    role_levels: list[tuple[str, str]]
    rows: list[SuccessionRow]
    # Only when asked for (the API): the table's page links to them on a page of their own.
    backgrounds: list[BackgroundTable] = field(default_factory=list)

    @property
    def gaps(self) -> list[SuccessionCell]:
        """Region and role levels where no one is ready now."""
        return [cell for row in self.rows for cell in row.cells if cell.no_ready_now]


def succession_scope_for(user: User) -> PipelineScope:
    """The pipeline's scope: a region or England for HEE staff, their own bodies' pools for training-body admins."""
    if not user_can(user, Permission.VIEW_SUCCESSION):
        return PipelineScope(training_body_ids=())
    return pipeline_scope_for(user)


def counted_memberships_q(prefix: str = "") -> Q:
    """Active members their pool's owners may still see (`talent.selectors.pools.seen_by_owners_q`): an open account
    and the consent to share with the pool's owner."""
    return Q(**{f"{prefix}state": MembershipState.ACTIVE}) & seen_by_owners_q(prefix)


def _scope_q(scope: PipelineScope) -> Q:
    if scope.training_body_ids is not None:
        return Q(pool__training_body_id__in=scope.training_body_ids)
    if scope.region_id is not None:
        return Q(profile__region_id=scope.region_id)
    return Q()


def counted_memberships(*, scope: PipelineScope) -> QuerySet[PoolMembership]:
    return PoolMembership.objects.filter(counted_memberships_q(), _scope_q(scope))


def _figures(memberships: QuerySet[PoolMembership]) -> list[dict]:
    """(region, role level, profession) -> members, ready now, ready in 1 to 2 years: one GROUP BY, no correlated
    subquery. A clinician is in one group per level (their region and profession are their own), so one ready now in
    a pool of that level and ready in 1 to 2 years in another counts as ready now only: those ready in 1 to 2 years
    are those ready within 2 years less those ready now."""
    within_two_years = (Readiness.READY_NOW, Readiness.READY_1_2_YEARS)
    rows = list(
        memberships.values(
            region_id=F("profile__region_id"), role_level=F("pool__role_level"), profession=F("profile__profession")
        )
        .annotate(
            members=Count("profile_id", distinct=True),
            ready_now=Count("profile_id", distinct=True, filter=Q(readiness=Readiness.READY_NOW)),
            ready_within_two_years=Count("profile_id", distinct=True, filter=Q(readiness__in=within_two_years)),
        )
        .order_by()
    )
    for row in rows:
        row["ready_1_2_years"] = row.pop("ready_within_two_years") - row["ready_now"]
    return rows


def _backgrounds(memberships: QuerySet[PoolMembership]) -> list[BackgroundTable]:
    """Each clinician once, by their equality answers, with how many of them are ready now for some level. One GROUP
    BY of the memberships by all the answers together: a clinician has one combination of answers, so counting them
    distinctly in its group and adding the groups up counts each clinician once per answer, in a single pass over
    the members. Each column follows the small-number rule with its total taken as known: the exact figures above
    give it away (one pool at one level counts the same people). A ready-now cell whose members cell shows 0 is
    known to be 0, so it is never the one hidden to protect its column; one whose members cell is hidden is not."""
    answers = (
        memberships.values(
            **{
                attribute: Coalesce(F(f"profile__equality_monitoring__{attribute}"), Value(""))
                for attribute in BACKGROUND_ATTRIBUTES
            }
        )
        .annotate(
            n=Count("profile_id", distinct=True),
            ready=Count("profile_id", distinct=True, filter=Q(readiness=Readiness.READY_NOW)),
        )
        .order_by()
    )
    counted: dict[str, dict[str, list[int]]] = {attribute: {} for attribute in BACKGROUND_ATTRIBUTES}
    for row in answers:
        for attribute in BACKGROUND_ATTRIBUTES:
            totals = counted[attribute].setdefault(row[attribute], [0, 0])
            totals[0] += row["n"]
            totals[1] += row["ready"]

    def column(values: list[int], known_zero: frozenset = frozenset()) -> tuple[list[str], str]:
        found = suppress_table(
            [[value] for value in values],
            row_totals=False,
            column_totals=True,
            totals_known=True,
            known_zero=known_zero,
        )
        return [row[0] for row in found.cells], found.column_totals[0]

    result = []
    for key, (label, choices) in BACKGROUND_ATTRIBUTES.items():
        table_counts = [counted[key].get(code, (0, 0)) for code, _ in choices]
        members, total_members = column([n for n, _ in table_counts])
        shown_zero = frozenset((r, 0) for r, text in enumerate(members) if text == "0")
        ready_now, total_ready_now = column([ready for _, ready in table_counts], shown_zero)
        rows = [
            BackgroundRow(value=code, label=name, members=n, ready_now=ready)
            for (code, name), n, ready in zip(choices, members, ready_now, strict=True)
        ]
        result.append(
            BackgroundTable(
                key=key, label=label, rows=rows, total_members=total_members, total_ready_now=total_ready_now
            )
        )
    return result


def _regions_shown(scope: PipelineScope, figures: list[dict]) -> list[Region]:
    """England's regions for national HEE staff; the one region of regional staff; for an admin the regions of
    their bodies and any other where their pools' members work."""
    regions = list(Region.objects.order_by("name"))
    if scope.region_id is not None:
        return [region for region in regions if region.pk == scope.region_id]
    if scope.training_body_ids is not None:
        wanted = {row["region_id"] for row in figures}
        wanted |= set(TrainingBody.objects.filter(pk__in=scope.training_body_ids).values_list("region_id", flat=True))
        return [region for region in regions if region.pk in wanted]
    return regions


def _description(scope: PipelineScope, regions: list[Region]) -> str:
    if scope.region_id is not None:
        return regions[0].name if regions else "Your region"
    if scope.training_body_ids is not None:
        return "Your training body's talent pools"
    return "England"


def _cells(scope: PipelineScope, figures: list[dict], regions: list[Region]) -> list[SuccessionRow]:
    labels = dict(Profession.choices)
    cells = {
        (region.pk, level): SuccessionCell(region=region, role_level=level)
        for region in regions
        for level in POOL_ROLE_LEVELS
    }
    for row in figures:
        cell = cells.get((row["region_id"], row["role_level"]))
        if cell is None:
            continue
        cell.members += row["members"]
        cell.ready_now += row["ready_now"]
        cell.ready_1_2_years += row["ready_1_2_years"]
        cell.professions.append(
            ProfessionFigures(
                profession=row["profession"],
                label=labels.get(row["profession"], row["profession"]),
                members=row["members"],
                ready_now=row["ready_now"],
                ready_1_2_years=row["ready_1_2_years"],
            )
        )
    for cell in cells.values():
        cell.professions.sort(key=lambda figures: figures.label)
    return [
        SuccessionRow(region=region, cells=[cells[(region.pk, level)] for level in POOL_ROLE_LEVELS])
        for region in regions
    ]


def succession_for(*, user: User, with_backgrounds: bool = False) -> Succession:
    """The region by role-level table of the user's scope; with the backgrounds of the members it counts when asked
    (each is a pass over every member counted, so the table's own page leaves them to a page of their own)."""
    scope = succession_scope_for(user)
    memberships = counted_memberships(scope=scope)
    figures = _figures(memberships)
    regions = _regions_shown(scope, figures)
    return Succession(
        scope=scope,
        description=_description(scope, regions),
        role_levels=[(level, RoleLevel(level).label) for level in POOL_ROLE_LEVELS],
        rows=_cells(scope, figures, regions),
        backgrounds=_backgrounds(memberships) if with_backgrounds else [],
    )


def succession_backgrounds_for(*, user: User) -> tuple[str, list[BackgroundTable]]:
    """The scope's description and the backgrounds of the members its succession table counts, each clinician once."""
    scope = succession_scope_for(user)
    memberships = counted_memberships(scope=scope)
    return _description(scope, _regions_shown(scope, [])), _backgrounds(memberships)


@dataclass
class PoolFigures:
    pool: TalentPool
    members: int
    ready_now: int
    ready_1_2_years: int
    owned: bool


@dataclass
class SuccessionDetail:
    cell: SuccessionCell
    description: str
    pools: list[PoolFigures]


def succession_cell_for(*, user: User, region_slug: str, role_level: str) -> SuccessionDetail:
    """One region and role level of the user's scope, by profession, and the pools its members are in (a pool
    opens only for its owners, who alone see names). A region or level outside the scope does not exist (404)."""
    scope = succession_scope_for(user)
    if role_level not in POOL_ROLE_LEVELS:
        raise Http404("No such role level.")
    region = Region.objects.filter(slug=region_slug).first()
    if region is None or (scope.region_id is not None and region.pk != scope.region_id):
        raise Http404("No such region.")
    memberships = counted_memberships(scope=scope).filter(profile__region=region, pool__role_level=role_level)
    figures = _figures(memberships)
    rows = _cells(scope, figures, [region])
    cell = next(c for c in rows[0].cells if c.role_level == role_level)
    by_pool = {
        row["pool_id"]: row
        for row in memberships.values("pool_id")
        .annotate(
            members=Count("profile_id", distinct=True),
            ready_now=Count("profile_id", distinct=True, filter=Q(readiness=Readiness.READY_NOW)),
            ready_1_2_years=Count("profile_id", distinct=True, filter=Q(readiness=Readiness.READY_1_2_YEARS)),
        )
        .order_by()
    }
    owned = set(pools_owned_by(user).filter(pk__in=by_pool).values_list("pk", flat=True))
    pools = [
        PoolFigures(
            pool=pool,
            members=by_pool[pool.pk]["members"],
            ready_now=by_pool[pool.pk]["ready_now"],
            ready_1_2_years=by_pool[pool.pk]["ready_1_2_years"],
            owned=pool.pk in owned,
        )
        for pool in TalentPool.objects.filter(pk__in=by_pool).select_related("training_body", "region")
    ]
    return SuccessionDetail(cell=cell, description=_description(scope, [region]), pools=pools)
