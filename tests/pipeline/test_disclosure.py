"""No one's equality answers can be picked out of the dashboard: the backgrounds tables follow the small-number rule
at every level (England included) on the page, in the API and in the CSV, no cell of them links to people, and an
attacker who knows every table and every list a person can open never learns one listed person's answer.

Time is frozen at 20 November 2026, noon (`pipeline_now`, tests/pipeline/pipeline_fixtures.py)."""

import csv
import io
import random
import re
from datetime import date

import pytest
from django.urls import reverse

from accounts.models import Region
from pipeline.models import PipelineRollupRun, PipelineScopeSummary
from pipeline.selectors import (
    Drilldown,
    PipelineFilters,
    pipeline_drilldown,
    pipeline_population,
    pipeline_regions_for,
    pipeline_scope_for,
    pipeline_summary,
    pipeline_training_bodies_for,
)
from pipeline.selectors import figures as figure_selectors
from pipeline.selectors.figures import SUPPRESSION_RULES
from pipeline.selectors.scope import profile_filter_q
from pipeline.services import pipeline_rollups_refresh
from pipeline.stages import PipelineStage
from pipeline.suppression import HIDDEN, suppress_table
from regulators.models import Regulator
from talent.models import EqualityMonitoring, LeadershipExperience
from tests.factories import ClinicianProfileFactory

pytestmark = pytest.mark.django_db

SMALL = {"1", "2", "3", "4", "5", "6", "7"}


def leader(profile) -> None:
    LeadershipExperience.objects.create(
        profile=profile, role="Medical director", organisation="Example Trust", level="organisation",
        start_date=date(2024, 4, 1),
    )  # fmt: skip


@pytest.fixture
def two_leaders(pipeline_now, training_body):
    """The demo's case: the only two clinicians lead, a woman and a man, both doctors, of different ethnic groups,
    both in `training_body` (North West) and sharing with it and with HEE."""
    answers = [("Ann Archer", "female", "white", "no_religion"), ("Ben Bell", "male", "other", "christian")]
    for name, sex, ethnic_group, religion in answers:
        profile = ClinicianProfileFactory(user__full_name=name, training_body=training_body)
        leader(profile)
        EqualityMonitoring.objects.create(
            profile=profile, sex=sex, ethnic_group=ethnic_group, religion=religion, age_band="35_44"
        )
    pipeline_rollups_refresh()


def backgrounds_html(html: str) -> str:
    """The page's "Backgrounds of leaders" section: from its heading to the next heading or the end of the main
    content."""
    section = html[html.index('<h2 id="backgrounds">') :]
    ends = [index for index in (section.find("<h2 ", 1), section.find("</main>")) if index > 0]
    return section[: min(ends)]


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def csv_backgrounds(rows: list[list[str]]) -> list[list[str]]:
    """The rows of the CSV's backgrounds tables (each from its heading to the next blank line)."""
    found, inside = [], False
    for row in rows:
        if row and row[0].startswith("Backgrounds: "):
            inside = True
        elif not row:
            inside = False
        if inside:
            found.append(row)
    return found


@pytest.mark.parametrize("user_fixture", ["hee_staff", "tb_admin"])
def test_two_leaders_show_no_count_of_1_and_no_link_on_the_page_in_the_api_or_in_the_csv(
    two_leaders, client, request, user_fixture
):
    """England (or the training body), no filters, two leaders: a woman and a man. Before, the page showed Female
    1 / Male 1 and a "Doctor 2" leaders cell linking to their names."""
    client.force_login(request.getfixturevalue(user_fixture))

    page = client.get(reverse("pipeline:show_dashboard"))
    assert page.status_code == 200
    section = backgrounds_html(page.content.decode())
    cells = re.findall(r'<td class="nhsuk-table__cell nhsuk-table__cell--numeric">(.*?)</td>', section)
    assert cells and not set(cells) & SMALL
    assert "<a " not in section and "leaders=true" not in page.content.decode()
    profession = re.search(r'data-background="profession".*?</table>', section, re.S).group(0)
    assert re.search(r">Doctor</th>\s*<td[^>]*>\*</td>\s*<td[^>]*>\*</td>", profession)
    assert "* is a count from 1 to 7, or a count hidden so that another cannot be worked out" in section

    api = client.get(reverse("pipeline_api:show_summary")).json()
    assert api["rules"] == SUPPRESSION_RULES
    assert all(table["suppressed"] for table in api["backgrounds"])
    api_cells = {
        value
        for table in api["backgrounds"]
        for row in [*table["rows"], *([table["total"]] if table["total"] else [])]
        for key, value in row.items()
        if key in ("pipeline", "leaders")
    }
    assert not api_cells & SMALL
    doctors = next(table for table in api["backgrounds"] if table["key"] == "profession")["rows"]
    assert [(row["label"], row["pipeline"], row["leaders"]) for row in doctors] == [("Doctor", "*", "*")]
    sex = next(table for table in api["backgrounds"] if table["key"] == "sex")["rows"]
    assert [(row["pipeline"], row["leaders"]) for row in sex] == [("*", "*"), ("*", "*"), ("0", "0"), ("0", "0")]

    rows = csv_backgrounds(csv_rows(client.get(reverse("pipeline:export_dashboard"))))
    assert rows and not {cell for row in rows for cell in row[1:]} & SMALL
    assert ["Doctor", "*", "*"] in rows
    assert all(
        "a count hidden so that another cannot be worked out" in row[0] for row in rows if "Backgrounds" in row[0]
    )


def test_the_list_of_leaders_is_not_offered_from_any_count_of_the_page(two_leaders, client, hee_staff):
    """The drill-down still lists leaders for whoever types its address (their roles are on their records), but no
    cell of the page leads there, so no list sits one click from an equality table."""
    client.force_login(hee_staff)

    html = client.get(reverse("pipeline:show_dashboard")).content.decode()

    assert "leaders=true" not in html and "leaders=True" not in html


@pytest.mark.parametrize(
    ("role", "status"),
    [("anonymous", 302), ("clinician", 403), ("other_clinician", 403), ("editor", 403)],
)
def test_people_who_may_not_see_the_pipeline_get_no_backgrounds_anywhere(
    two_leaders, client, user_for_role, role, status
):
    if user := user_for_role(role):
        client.force_login(user)

    assert client.get(reverse("pipeline:show_dashboard")).status_code == status
    assert client.get(reverse("pipeline:export_dashboard")).status_code == status
    assert client.get(reverse("pipeline_api:show_summary")).status_code == (401 if role == "anonymous" else 403)


@pytest.mark.parametrize("user_fixture", ["other_tb_admin", "regional_hee_staff"])
def test_admins_of_another_body_and_staff_of_another_region_see_none_of_the_two(
    two_leaders, client, request, user_fixture
):
    client.force_login(request.getfixturevalue(user_fixture))

    api = client.get(reverse("pipeline_api:show_summary")).json()

    assert api["funnel"][0]["count"] == 0
    assert {row["pipeline"] for table in api["backgrounds"] for row in table["rows"]} <= {"0"}


def test_a_summary_stored_under_an_older_rule_is_computed_again(two_leaders, hee_staff):
    """A run refreshed by the code before this rule stored England's backgrounds as plain counts: they are never
    served again."""
    run = PipelineRollupRun.objects.get()
    stored = PipelineScopeSummary.objects.get(run=run, scope="national")
    old = dict(stored.summary)
    old.pop("rules")
    old["backgrounds"] = [
        {**table, "suppressed": False, "rows": [{**row, "pipeline": "1", "leaders": "1"} for row in table["rows"]]}
        for table in old["backgrounds"]
    ]
    stored.summary = old
    stored.save()

    summary = pipeline_summary(hee_staff, PipelineFilters(), run)

    assert summary["rules"] == SUPPRESSION_RULES
    assert not {row["leaders"] for table in summary["backgrounds"] for row in table["rows"]} & SMALL


# --- The attacker ---------------------------------------------------------------------------------------------------
#
# Interval reasoning, as a careful reader would do it: a shown number v is v - 2 to v + 2 and at least 8 (1 to 7 are
# never shown); 0 is exactly 0; * is anything from 0 to the column's total; every column's total is known exactly
# (the funnel for the whole pipeline; the number of leaders, said to be known too). Leaders are among the whole
# pipeline, so a row's leaders are at most its whole-pipeline count, and the latter at least the former.

UNKNOWN = None


def reading(text: str, total: int) -> tuple[int, int]:
    if text == HIDDEN:
        return (0, total)
    value = int(text)
    return (0, 0) if value == 0 else (max(8, value - 2), min(value + 2, total))


def column_ranges(texts: list[str], total: int) -> list[tuple[int, int]]:
    return [reading(text, total) for text in texts]


def tightened(whole: list[tuple[int, int]], leaders: list[tuple[int, int]]):
    """Leaders of a row are at most its whole-pipeline count."""
    return (
        [(max(low, lead[0]), high) for (low, high), lead in zip(whole, leaders, strict=True)],
        [(low, min(high, pipe[1])) for (low, high), pipe in zip(leaders, whole, strict=True)],
    )


def fits(ranges: list[tuple[int, int]], total: int) -> bool:
    return all(low <= high for low, high in ranges) and sum(r[0] for r in ranges) <= total <= sum(r[1] for r in ranges)


def possible_answers(ranges: list[tuple[int, int]], total: int) -> set[int]:
    """The rows someone counted in this column could be in."""
    return {
        row
        for row, (low, high) in enumerate(ranges)
        if fits([*ranges[:row], (max(low, 1), high), *ranges[row + 1 :]], total)
    }


def answers_the_difference_allows(wider, narrower, narrower_total: int) -> set[int]:
    """Two nested columns whose totals differ by one person: the rows that person could be in (each row of the
    narrower is the wider's less 1 in that row, 0 in the others)."""
    allowed = set()
    for row in range(len(wider)):
        ranges = [
            (max(low, wider[h][0] - (h == row)), min(high, wider[h][1] - (h == row)))
            for h, (low, high) in enumerate(narrower)
        ]
        if fits(ranges, narrower_total):
            allowed.add(row)
    return allowed


def reachable_views(user) -> list[PipelineFilters]:
    """No filter, and each filter on its own: every profession, region, career stage and training body the
    person may choose, and early career."""
    regions = pipeline_regions_for(user).filter(slug__in=["north-west", "london"])
    return [
        PipelineFilters(),
        *[PipelineFilters(profession=code) for code in ("doctor", "nurse")],
        *[PipelineFilters(region_id=region.pk) for region in regions],
        *[PipelineFilters(career_stage=code) for code in ("specialty_training", "consultant_gp", "band_6")],
        *[PipelineFilters(training_body_id=body.pk) for body in pipeline_training_bodies_for(user)],
        PipelineFilters(early_career=True),
    ]


def what_the_attacker_sees(user, answers: dict[int, dict[str, str]]) -> list[dict]:
    """Per view: its equality tables, the exact totals, the lists the person can open, and (the test's own
    knowledge, to check the attacker is right) who is really in it."""
    scope = pipeline_scope_for(user)
    views = []
    for filters in reachable_views(user):
        summary = pipeline_summary(user, filters)
        people = pipeline_population(scope).filter(profile_filter_q(filters))
        everyone = set(people.values_list("pk", flat=True))
        leaders = set(people.filter(pipeline_leader=True).values_list("pk", flat=True))
        assert summary["funnel"][0]["count"] == len(everyone)
        views.append(
            {
                "filters": filters,
                "tables": [table for table in summary["backgrounds"] if table["equality"]],
                "everyone": everyone,
                "leaders": leaders,
                "listed": set(pipeline_drilldown(user, filters, Drilldown()).values_list("pk", flat=True)),
                "listed_leaders": set(
                    pipeline_drilldown(user, filters, Drilldown(stage=PipelineStage.IN_ROLE, leaders=True)).values_list(
                        "pk", flat=True
                    )
                ),
                # Every other list (the drill-down of each stage) is a part of the first: nobody new to learn about.
            }
        )
        assert views[-1]["listed"] <= everyone and views[-1]["listed_leaders"] <= leaders
    return views


def ranges_of(view: dict, table: dict) -> tuple[list, list]:
    whole = column_ranges([row["pipeline"] for row in table["rows"]], len(view["everyone"]))
    leaders = column_ranges([row["leaders"] for row in table["rows"]], len(view["leaders"]))
    return tightened(whole, leaders)


def attack(views: list[dict], answers: dict[int, dict[str, str]]) -> list[str]:
    """Every way the attacker learns one listed person's answer, as sentences (none, if the rule holds)."""
    leaks = []
    for view in views:
        for table in view["tables"]:
            codes = [row["value"] for row in table["rows"]]
            for (ranges, total, listed), name in zip(
                zip(
                    ranges_of(view, table),
                    (len(view["everyone"]), len(view["leaders"])),
                    (view["listed"], view["listed_leaders"]),
                    strict=True,
                ),
                ("whole pipeline", "leaders"),
                strict=True,
            ):
                possible = possible_answers(ranges, total)
                # The attacker is right: everyone's real answer is among those it finds possible.
                assert {codes.index(answers[pk][table["key"]]) for pk in listed} <= possible, (view, table)
                if total and len(possible) < 2:
                    leaks.append(f"{view['filters']}: {table['key']} ({name}) has one possible answer: {table}")
    for wider in views:
        for narrower in views:
            for key, lists in (("everyone", "listed"), ("leaders", "listed_leaders")):
                if not narrower[key] < wider[key] or len(wider[key]) - len(narrower[key]) != 1:
                    continue
                extra = wider[lists] - narrower[lists]
                if len(extra) != 1:
                    continue  # the one person more is not listed: the attacker does not know who it is
                (person,) = extra
                column = 0 if key == "everyone" else 1
                for wide_table, narrow_table in zip(wider["tables"], narrower["tables"], strict=True):
                    codes = [row["value"] for row in wide_table["rows"]]
                    allowed = answers_the_difference_allows(
                        ranges_of(wider, wide_table)[column],
                        ranges_of(narrower, narrow_table)[column],
                        len(narrower[key]),
                    )
                    assert codes.index(answers[person][wide_table["key"]]) in allowed  # the attacker is right
                    if len(allowed) < 2:
                        leaks.append(
                            f"{wider['filters']} less {narrower['filters']} ({key}) gives {wide_table['key']}: "
                            f"{wide_table['rows']} / {narrow_table['rows']}"
                        )
    return leaks


SEXES = ["female", "male", "prefer_not_to_say", ""]
ETHNIC_GROUPS = ["white", "asian", "black", ""]


def population(seed: int, training_body, other_training_body) -> dict[int, dict[str, str]]:
    """A small random population made with the real factories: doctors mostly (often a lone nurse, so a view
    differs from England by one person), two regions, two bodies or none, early career or not, leaders, consent
    or not, and answers to two questions (the others left unanswered, so those columns have one answer only)."""
    chance = random.Random(seed)
    north_west, london = Region.objects.get(slug="north-west"), Region.objects.get(slug="london")
    nmc = Regulator.objects.get(code="NMC")
    size = chance.randint(4, 30)
    nurses = set(chance.sample(range(size), k=min(size, chance.choice([0, 1, 1, 2, 6]))))
    answers = {}
    for index in range(size):
        nurse = index in nurses
        consultant = not nurse and chance.random() < 0.3
        body = chance.choice([training_body, training_body, other_training_body, None])
        options = {
            "region": chance.choice([north_west, north_west, london]),
            "training_body": body,
            "first_registration_year": chance.choice([2024, 2000]),
            "shares_with_hee": chance.random() < 0.8,
            "shares_with_training_body": chance.random() < 0.8,
        }
        if nurse:
            options |= {
                "profession": "nurse",
                "regulator": nmc,
                "registration_number": f"{10 + index:02d}A{1000 + seed * 100 + index:04d}B",
                "career_stage": "band_6",
                "specialty_training_year": None,
            }
        elif consultant:
            options |= {"career_stage": "consultant_gp", "specialty_training_year": None}
        profile = ClinicianProfileFactory(**options)
        if chance.random() < 0.35:
            leader(profile)
        sex, ethnic_group = chance.choice(SEXES[:2] * 3 + SEXES), chance.choice(ETHNIC_GROUPS)
        if sex or ethnic_group:
            EqualityMonitoring.objects.create(profile=profile, sex=sex, ethnic_group=ethnic_group)
        unanswered = dict.fromkeys(("age_band", "disability", "sexual_orientation", "religion"), "")
        answers[profile.pk] = {"sex": sex, "ethnic_group": ethnic_group} | unanswered
    pipeline_rollups_refresh()
    return answers


@pytest.mark.parametrize("seed", range(6))
def test_the_attacker_never_learns_a_listed_persons_answer(
    pipeline_now, seed, training_body, other_training_body, hee_staff, tb_admin
):
    """HEE national (the level that leaked) and a training-body admin, each knowing every equality table of every
    view they can reach, the exact totals and every list they can open."""
    answers = population(seed, training_body, other_training_body)

    for user in (hee_staff, tb_admin):
        assert attack(what_the_attacker_sees(user, answers), answers) == []


def test_the_attacker_catches_the_old_rule():
    """The attacker can fail: given what the old rule showed, it finds the answers."""
    total = 12
    # England without suppression (the old national rule): twelve people, all of the second answer.
    plain = column_ranges(["0", "12", "0"], total)
    plain = [(12, 12) if high >= 8 else (low, high) for low, high in plain]  # plain counts are exact
    assert possible_answers(plain, total) == {1}
    # Two leaders, a woman and a man, shown as 1 and 1 with plain counts: each could be told apart by a list of one.
    assert possible_answers([(1, 1), (1, 1), (0, 0)], 2) == {0, 1}
    assert answers_the_difference_allows([(1, 1), (1, 1), (0, 0)], [(0, 0), (1, 1), (0, 0)], 1) == {0}
    # Without the homogeneity step the rule showed "0 10 0" for that column (rounding alone).
    rounded = column_ranges(["0", "10", "0"], total)
    assert possible_answers(rounded, total) == {1}
    # With it, the 12 and a 0 are hidden.
    now = column_ranges(
        [row[0] for row in suppress_table([[0], [12], [0]], row_totals=False, totals_known=True).cells], total
    )
    assert possible_answers(now, total) == {0, 1}
    # Two nested views, the wider with one person more: 13 and 12 women round to 15 and 10, which only a woman more
    # explains. The rule alone cannot see the other view, so the page hides the narrower view's column whole.
    wider = suppress_table([[13], [9], [0]], row_totals=False, totals_known=True).cells
    narrower = suppress_table([[12], [9], [0]], row_totals=False, totals_known=True).cells
    assert (wider, narrower) == ([["15"], ["10"], ["0"]], [["10"], ["10"], ["0"]])
    allowed = answers_the_difference_allows(
        column_ranges([row[0] for row in wider], 22), column_ranges([row[0] for row in narrower], 21), 21
    )
    assert allowed == {0}
    hidden = answers_the_difference_allows(column_ranges([row[0] for row in wider], 22), [(0, 21)] * 3, 21)
    assert hidden == {0, 1}


def test_the_attacker_finds_a_rounding_difference_when_the_wider_view_is_not_checked(
    pipeline_now, hee_staff, monkeypatch
):
    """Thirteen women and nine men, one of the women a nurse: England's 13 women show as 15, the doctors' 12 as 10,
    which only the nurse being a woman explains. The page hides the doctors' whole-pipeline column (England counts
    one person more); without that, the attacker finds her answer."""
    nmc = Regulator.objects.get(code="NMC")
    answers = {}
    for index in range(22):
        nurse = {"profession": "nurse", "regulator": nmc, "registration_number": "10A1234B"} if index == 0 else {}
        if nurse:
            nurse |= {"career_stage": "band_6", "specialty_training_year": None}
        profile = ClinicianProfileFactory(**nurse)
        sex = "female" if index < 13 else "male"
        EqualityMonitoring.objects.create(profile=profile, sex=sex)
        answers[profile.pk] = {"sex": sex} | dict.fromkeys(
            ("age_band", "ethnic_group", "disability", "sexual_orientation", "religion"), ""
        )
    pipeline_rollups_refresh()

    assert attack(what_the_attacker_sees(hee_staff, answers), answers) == []

    monkeypatch.setattr(figure_selectors, "_columns_near_a_wider_view", lambda *args: frozenset())
    leaks = attack(what_the_attacker_sees(hee_staff, answers), answers)
    assert any(
        "less PipelineFilters(region_id=None, profession='doctor'" in leak and "gives sex" in leak for leak in leaks
    )
