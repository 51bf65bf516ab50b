"""The HEE dashboard compares the clinicians registered with the service with the eligible population from register
counts, for the view's profession and region: figures worked out by hand, small numbers, the views that cannot be
compared, and the same figures in the API and the CSV."""

import csv
import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Region
from pipeline.models import PipelineCoarseBackgroundRollup, PipelineRollupRun
from population.selectors import NO_PROFESSION, OTHER_FILTERS, TRAINING_BODY_VIEW
from population.services import eligible_population_upload
from tests.clock import runs_at

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 20, 10, 0, tzinfo=ZoneInfo("Europe/London"))
_at_now = runs_at(NOW)

DASHBOARD = reverse("pipeline:show_dashboard")
HEADER = "profession,region,attribute,group,count\n"

# The register's nurses: North West and London only (the file covers no other region).
NMC_FILE = HEADER + "".join(
    f"nurse,{region},{attribute},{group},{count}\n"
    for region, attribute, group, count in [
        ("north-west", "ethnic_group", "white", 8000),
        ("north-west", "ethnic_group", "black", 1000),
        ("north-west", "ethnic_group", "asian", 1500),
        ("north-west", "ethnic_group", "mixed", 200),
        ("north-west", "ethnic_group", "other", 300),
        ("north-west", "sex", "female", 9000),
        ("north-west", "sex", "male", 2000),
        ("north-west", "disability", "no", 10000),
        ("north-west", "disability", "yes", 1000),
        ("london", "ethnic_group", "white", 5000),
        ("london", "ethnic_group", "black", 3000),
    ]
)


def rollup(region: str, attribute: str, counts: dict[str, int], *, profession: str = "nurse", leader: bool = False):
    region_id = Region.objects.get(slug=region).pk
    for value, clinicians in counts.items():
        PipelineCoarseBackgroundRollup.objects.create(
            region_id=region_id,
            training_body_id=None,
            profession=profession,
            career_stage="band_6",
            early_career=False,
            leader=leader,
            attribute=attribute,
            value=value,
            clinicians=clinicians,
        )


@pytest.fixture
def nurses(editor):
    """The service's nurses, as a refresh would have rolled them up (300 in the North West, 140 in London), and
    the NMC file above."""
    PipelineRollupRun.objects.create(refreshed_at=timezone.now())
    # 200 white nurses in the North West: 180 of them not leaders, 20 leaders (the comparison takes them all).
    rollup("north-west", "ethnic_group", {"white": 180, "black": 50, "asian": 30, "other": 10, "": 10})
    rollup("north-west", "ethnic_group", {"white": 20}, leader=True)
    rollup("north-west", "sex", {"female": 290, "male": 5, "": 5})
    rollup("north-west", "disability", {"yes": 5, "no": 280, "": 15})
    rollup("london", "ethnic_group", {"white": 100, "black": 40})
    return eligible_population_upload(
        uploaded_by=editor,
        file_name="nmc.csv",
        data=NMC_FILE.encode(),
        source="NMC register data, 31 March 2026",
        as_of=date(2026, 3, 31),
    )


def comparison(client, user, query: str):
    client.force_login(user)
    response = client.get(f"{DASHBOARD}?{query}")
    assert response.status_code == 200
    return response, response.context["figures"]["eligible_population"]


def table(found: dict, key: str) -> dict:
    return next(one for one in found["attributes"] if one["key"] == key)


def row_of(found: dict, key: str, group: str) -> tuple:
    row = next(one for one in table(found, key)["rows"] if one["group"] == group)
    likelihood = row["likelihood"] and tuple(row["likelihood"].values())
    return row["eligible"], row["eligible_share"], row["registered"], row["registered_share"], likelihood


def test_a_region_and_profession_view_compares_with_the_register_on_figures_worked_by_hand(nurses, client, hee_staff):
    """North West nurses, against 11,000 on the register: White 8,000 (72.7%) and 200 registered (66.7% of 300),
    the reference. Black: 1,000 (9.1%), 50 registered (16.7%): (50/1000) / (200/8000) = 2.00, interval 1.48 to
    2.71. Asian: (30/1500) / 0.025 = 0.80 (0.55 to 1.17). Other: (10/300) / 0.025 = 1.33 (0.71 to 2.49). Mixed: none
    registered, so no likelihood; not answered: none on the register, so none either."""
    response, found = comparison(client, hee_staff, "region=north-west&profession=nurse")

    assert found["comparable"] is True
    assert (found["area"], found["profession_label"], found["source"], found["as_of"]) == (
        "North West",
        "Nurse",
        "NMC register data, 31 March 2026",
        "2026-03-31",
    )
    ethnic = table(found, "ethnic_group")
    assert (ethnic["reference"], ethnic["eligible_total"], ethnic["registered_total"]) == ("white", 11000, "300")
    assert row_of(found, "ethnic_group", "white") == (8000, 72.7, "200", 66.7, None)
    assert row_of(found, "ethnic_group", "black") == (1000, 9.1, "50", 16.7, (2.0, 1.48, 2.71))
    assert row_of(found, "ethnic_group", "asian") == (1500, 13.6, "30", 10.0, (0.8, 0.55, 1.17))
    assert row_of(found, "ethnic_group", "other") == (300, 2.7, "10", 3.3, (1.33, 0.71, 2.49))
    assert row_of(found, "ethnic_group", "mixed") == (200, 1.8, "0", 0.0, None)
    assert row_of(found, "ethnic_group", "") == (0, 0.0, "10", 3.3, None)
    assert found["not_covered"] == ["Age", "Sexual orientation", "Religion or belief"]

    html = response.content.decode()
    section = html[html.index('<h2 id="eligible-population">') :]
    assert (
        "Nurse, North West: the clinicians registered with this service compared with everyone on the register"
        in section
    )
    assert "from NMC register data, 31 March 2026 (counts as of 31 March 2026)" in section
    assert "2.00 (1.48 to 2.71)" in section and "1.00 (reference)" in section
    assert "The register counts loaded do not include: Age, Sexual orientation, Religion or belief." in section
    assert html.index('id="backgrounds"') < html.index('id="eligible-population"')


def test_small_counts_of_the_service_are_hidden_and_get_no_likelihood(nurses, client, hee_staff):
    """Sex: 5 men and 5 not answered are each shown as * (two hidden in the column, so neither can be worked out
    from the total) and get no share or likelihood. Disability: 5 saying yes is hidden; as the only hidden cell of
    its column it could be worked out from the total, so the smallest other cell (0 preferring not to say) is
    hidden too. Register counts are shown as given, however small."""
    _, found = comparison(client, hee_staff, "region=north-west&profession=nurse")

    assert table(found, "sex")["reference"] == "female"  # the largest group of the register's nurses
    assert row_of(found, "sex", "female") == (9000, 81.8, "290", 96.7, None)
    assert row_of(found, "sex", "male") == (2000, 18.2, "*", None, None)
    assert row_of(found, "sex", "") == (0, 0.0, "*", None, None)
    assert table(found, "disability")["reference"] == "no"
    assert row_of(found, "disability", "yes") == (1000, 9.1, "*", None, None)
    assert row_of(found, "disability", "prefer_not_to_say") == (0, 0.0, "*", None, None)
    assert row_of(found, "disability", "no") == (10000, 90.9, "280", 93.3, None)
    assert [row["registered"] for row in table(found, "disability")["rows"]].count("*") == 2


def test_regional_staff_see_their_region_compared(nurses, client, regional_hee_staff):
    """London nurses: Black (40/3000) / White (100/5000) = 0.67, interval 0.46 to 0.96."""
    _, found = comparison(client, regional_hee_staff, "profession=nurse")

    assert found["area"] == "London"
    assert row_of(found, "ethnic_group", "black") == (3000, 37.5, "40", 28.6, (0.67, 0.46, 0.96))
    assert [one["key"] for one in found["attributes"]] == ["ethnic_group"]


def test_england_adds_up_every_region_when_the_upload_covers_them_all(nurses, client, hee_staff, editor):
    """Doctors: 100 women and 100 men in each of the seven regions, 700 of each in England; the service has 50 of
    each (two regions): (50/700) / (50/700) = 1.00, interval 0.69 to 1.46."""
    regions = Region.objects.values_list("slug", flat=True)
    lines = "".join(f"doctor,{region},sex,{group},100\n" for region in regions for group in ("female", "male"))
    eligible_population_upload(
        uploaded_by=editor,
        file_name="gmc.csv",
        data=(HEADER + lines).encode(),
        source="GMC data",
        as_of=date(2026, 1, 1),
    )
    rollup("north-west", "sex", {"female": 30, "male": 25}, profession="doctor")
    rollup("london", "sex", {"female": 20, "male": 25}, profession="doctor")

    _, found = comparison(client, hee_staff, "profession=doctor")

    assert found["area"] == "England"
    assert row_of(found, "sex", "female") == (700, 50.0, "50", 50.0, None)
    assert row_of(found, "sex", "male") == (700, 50.0, "50", 50.0, (1.0, 0.69, 1.46))


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", NO_PROFESSION),
        ("region=north-west", NO_PROFESSION),
        ("profession=nurse&career_stage=band_6", OTHER_FILTERS),
        ("profession=nurse&early_career=true", OTHER_FILTERS),
        ("profession=nurse&joined_from=2026-01-01", OTHER_FILTERS),
        ("profession=midwife", "No eligible population has been loaded for this profession (Midwife) yet."),
        (
            "profession=nurse&region=south-west",
            "The eligible population loaded for this profession (Nurse; NMC register data, 31 March 2026) has no "
            "figures for South West.",
        ),
        (
            "profession=nurse",
            "The eligible population loaded for this profession (Nurse; NMC register data, 31 March 2026) does not "
            "cover every region, so there is no figure for England.",
        ),
    ],
)
def test_a_view_the_register_cannot_answer_says_so_instead_of_showing_figures(
    nurses, client, hee_staff, query, message
):
    response, found = comparison(client, hee_staff, query)

    assert found["comparable"] is False and found["attributes"] == []
    assert found["message"] == message
    html = response.content.decode()
    section = html[html.index('<h2 id="eligible-population">') :]
    assert message.replace("'", "&#x27;") in section
    assert "Relative likelihood" not in section


def test_a_training_body_admin_is_told_there_is_no_register_comparison_for_training_bodies(nurses, client, tb_admin):
    response, found = comparison(client, tb_admin, "profession=nurse")

    assert found["comparable"] is False and found["message"] == TRAINING_BODY_VIEW
    assert TRAINING_BODY_VIEW.replace("'", "&#x27;") in response.content.decode()


def test_a_new_upload_shows_on_the_dashboard_at_once(nurses, client, hee_staff, editor):
    """The figures are cached per roll-up run; an upload between two runs still shows on the next view."""
    query = "region=north-west&profession=nurse"
    assert row_of(comparison(client, hee_staff, query)[1], "ethnic_group", "black")[0] == 1000

    eligible_population_upload(
        uploaded_by=editor,
        file_name="nmc.csv",
        data=(HEADER + "nurse,north-west,ethnic_group,black,2000\nnurse,north-west,ethnic_group,white,8000\n").encode(),
        source="NMC register data, 30 September 2026",
        as_of=date(2026, 9, 30),
    )

    _, found = comparison(client, hee_staff, query)
    assert found["source"] == "NMC register data, 30 September 2026"
    assert row_of(found, "ethnic_group", "black") == (2000, 20.0, "50", 16.7, (1.0, 0.74, 1.36))


def test_the_api_gives_the_comparison_and_documents_it(nurses, client, hee_staff, tb_admin):
    client.force_login(hee_staff)

    data = client.get(reverse("pipeline_api:show_summary") + "?region=north-west&profession=nurse").json()
    unfiltered = client.get(reverse("pipeline_api:show_summary")).json()
    schema = client.get(reverse("api_schema")).content.decode()

    found = data["eligible_population"]
    assert found["comparable"] is True and found["area"] == "North West"
    black = next(row for row in table(found, "ethnic_group")["rows"] if row["group"] == "black")
    assert black == {
        "group": "black",
        "label": "Black, Black British, Caribbean or African",
        "eligible": 1000,
        "eligible_share": 9.1,
        "registered": "50",
        "registered_share": 16.7,
        "reference": False,
        "likelihood": {"ratio": 2.0, "low": 1.48, "high": 2.71},
    }
    male = next(row for row in table(found, "sex")["rows"] if row["group"] == "male")
    assert male["registered"] == "*" and male["likelihood"] is None
    assert unfiltered["eligible_population"]["message"] == NO_PROFESSION
    assert "EligiblePopulation" in schema and "eligible_population" in schema
    client.force_login(tb_admin)
    admin = client.get(reverse("pipeline_api:show_summary") + "?profession=nurse").json()
    assert admin["eligible_population"]["message"] == TRAINING_BODY_VIEW


def test_the_dashboard_csv_carries_the_comparison(nurses, client, hee_staff):
    client.force_login(hee_staff)

    response = client.get(reverse("pipeline:export_dashboard") + "?region=north-west&profession=nurse")

    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [
        "Compared with the eligible population: Nurse, North West",
        "Register counts: NMC register data, 31 March 2026, as of 2026-03-31",
        "Clinicians registered with the service: small numbers suppressed (* is 1 to 7, others rounded to 5)",
    ] in rows
    assert ["Black, Black British, Caribbean or African", "1000", "9.1", "50", "16.7", "2.0", "1.48", "2.71"] in rows
    assert ["White", "8000", "72.7", "200", "66.7", "1.00 (reference)", "", ""] in rows
    assert ["Male", "2000", "18.2", "*", "", "", "", ""] in rows
    assert ["Total", "11000", "", "300", "", "", "", ""] in rows

    other = client.get(reverse("pipeline:export_dashboard") + "?profession=nurse&career_stage=band_6")
    rows = list(csv.reader(io.StringIO(b"".join(other.streaming_content).decode())))
    assert ["Compared with the eligible population", OTHER_FILTERS] in rows
