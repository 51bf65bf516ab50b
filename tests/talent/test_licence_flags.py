"""Licence-aware readiness: a pool member aiming for a role that needs a licence to practise is flagged when their
revalidation is overdue or falls due during a programme or secondment they were approved for, with their
regulator's guidance for the role; owners see it on the member list, the member page and the API, the clinician on
their own membership page. Roles say whether they need a licence, and content editors change that (audited)."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import AuditEvent
from pathways.models import ContentStatus, LeadershipRole, Opportunity, OpportunityKind
from regulators.models import Regulator, RevalidationRecord
from talent.models import MembershipState, PoolMembership
from talent.selectors.licence import LicenceFlagKind, with_licence
from tests.clock import runs_at
from tests.factories import ClinicianProfileFactory, NominationFactory
from tests.regulators.fixtures import make_guidance_version
from tests.talent.pool_fixtures import make_member, make_pool

pytestmark = pytest.mark.django_db

UK = ZoneInfo("Europe/London")
NOW = datetime(2026, 11, 25, 10, 0, tzinfo=UK)
TODAY = NOW.date()
_at_now = runs_at(NOW)


def role(slug: str) -> LeadershipRole:
    return LeadershipRole.objects.get(slug=slug)


def record_due(profile, due_on: date) -> RevalidationRecord:
    return RevalidationRecord.objects.create(profile=profile, regulator=profile.regulator, next_due_on=due_on)


def secondment(*, starts_on: date, ends_on: date | None, slug: str = "board-secondment") -> Opportunity:
    return Opportunity.objects.create(
        slug=slug,
        title="Board secondment",
        provider="Example Leadership Academy",
        kind=OpportunityKind.SECONDMENT,
        summary="Six months on a trust board.",
        description="A secondment.",
        opens_on=TODAY - timedelta(days=60),
        closes_on=TODAY - timedelta(days=30),
        starts_on=starts_on,
        ends_on=ends_on,
        status=ContentStatus.PUBLISHED,
        published_at=timezone.now(),
    )


def approved(profile, opportunity, **fields):
    return NominationFactory(
        profile=profile, opportunity=opportunity, state="approved", decided_at=timezone.now(), **fields
    )


@pytest.fixture
def board_pool(training_body):
    return make_pool(training_body=training_body, name="Future board members", role_level="organisation")


@pytest.fixture
def md_member(board_pool, clinician):
    """The clinician, a doctor, in a board-level pool with medical director as their target role."""
    return make_member(board_pool, clinician.clinician_profile, target_role=role("medical-director"))


def licence_of(pool, membership, viewer=None):
    """The member's licence as `viewer` (by default the member themselves) sees it."""
    membership = PoolMembership.objects.select_related("profile__user", "target_role").get(pk=membership.pk)
    return with_licence(viewer=viewer or membership.profile.user, pool=pool, members=[membership])[0].licence


# --- Which roles need a licence --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("slug", "needs"),
    [
        ("clinical-lead", True),
        ("clinical-director", True),
        ("associate-medical-director", True),
        ("medical-director", True),
        ("chief-nurse", True),
        ("chief-ahp", True),
        ("chief-pharmacist", True),
        ("system-clinical-lead", True),
        ("national-clinical-director", True),
        ("chief-clinical-information-officer", False),
        ("chief-operating-officer", False),
        ("chief-executive", False),
    ],
)
def test_the_reference_data_says_which_roles_need_a_licence_with_a_reason(slug, needs):
    found = role(slug)
    assert found.needs_licence is needs
    assert bool(found.licence_note) is needs


def test_an_editor_changes_whether_a_role_needs_a_licence_in_the_admin_site_and_it_is_audited(client, editor):
    client.force_login(editor)
    chief_executive = role("chief-executive")
    url = reverse("admin:pathways_leadershiprole_change", args=[chief_executive.pk])

    page = client.get(url)
    response = client.post(
        url,
        {
            "name": chief_executive.name,
            "slug": chief_executive.slug,
            "level": chief_executive.level,
            "description": chief_executive.description,
            "needs_licence": "on",
            "licence_note": "This trust asks for a practising clinician.",
        },
    )

    assert page.status_code == 200 and "Needs a licence to practise" in page.content.decode()
    assert response.status_code == 302, response.content.decode()[:2000]
    chief_executive.refresh_from_db()
    assert chief_executive.needs_licence and chief_executive.licence_note.startswith("This trust")
    event = AuditEvent.objects.get(action="leadershiprole.licence_need_set")
    assert event.actor == editor and event.detail["needs_licence"] is True


def test_the_pathways_api_says_whether_a_role_needs_a_licence(client, published_pathway):
    row = client.get(reverse("pathways_api:show_pathway", kwargs={"slug": published_pathway.slug})).json()
    assert row["target_role"]["needs_licence"] is True


# --- The flags ------------------------------------------------------------------------------------------------------


def test_an_overdue_revalidation_is_flagged_for_a_member_aiming_for_a_role_that_needs_a_licence(board_pool, md_member):
    record_due(md_member.profile, TODAY - timedelta(days=3))

    licence = licence_of(board_pool, md_member)

    assert licence.needs_licence and licence.at_risk
    assert [(flag.kind, flag.due_on) for flag in licence.flags] == [(LicenceFlagKind.OVERDUE, TODAY - timedelta(3))]


def test_revalidation_due_during_an_approved_secondment_is_flagged_with_its_dates(board_pool, md_member):
    profile = md_member.profile
    record_due(profile, TODAY + timedelta(days=200))
    approved(profile, secondment(starts_on=TODAY + timedelta(days=150), ends_on=TODAY + timedelta(days=330)))

    (flag,) = licence_of(board_pool, md_member).flags

    assert flag.kind == LicenceFlagKind.DUE_DURING and flag.due_on == TODAY + timedelta(days=200)
    assert flag.during.title == "Board secondment" and flag.during.starts_on == TODAY + timedelta(days=150)


def test_a_programme_without_an_end_date_counts_only_its_first_day(board_pool, md_member):
    profile = md_member.profile
    record_due(profile, TODAY + timedelta(days=200))
    approved(profile, secondment(starts_on=TODAY + timedelta(days=200), ends_on=None))

    assert [flag.kind for flag in licence_of(board_pool, md_member).flags] == [LicenceFlagKind.DUE_DURING]


@pytest.mark.parametrize(
    "nomination",
    [
        {"state": "submitted", "decided_at": None},
        {"state": "rejected", "decision_reason": "Not this year."},
        {"state": "approved", "outcome": "did_not_take_up", "outcome_on": TODAY, "outcome_recorded_at": NOW},
    ],
    ids=["waiting-for-a-decision", "not-approved", "place-not-taken-up"],
)
def test_only_a_planned_approved_place_counts(board_pool, md_member, nomination):
    profile = md_member.profile
    record_due(profile, TODAY + timedelta(days=200))
    fields = {"decided_at": timezone.now(), **nomination}
    NominationFactory(
        profile=profile,
        opportunity=secondment(starts_on=TODAY + timedelta(100), ends_on=TODAY + timedelta(300)),
        **fields,
    )

    licence = licence_of(board_pool, md_member)

    assert licence.needs_licence and licence.flags == [] and not licence.at_risk


def test_revalidation_due_outside_the_dates_is_not_flagged(board_pool, md_member):
    profile = md_member.profile
    record_due(profile, TODAY + timedelta(days=400))
    approved(profile, secondment(starts_on=TODAY + timedelta(days=100), ends_on=TODAY + timedelta(days=300)))

    assert licence_of(board_pool, md_member).flags == []


def test_a_member_without_a_revalidation_date_is_marked_not_recorded_but_not_at_risk(board_pool, md_member):
    licence = licence_of(board_pool, md_member)
    assert [flag.kind for flag in licence.flags] == [LicenceFlagKind.NOT_RECORDED] and not licence.at_risk


def test_without_a_target_role_the_guidance_covers_the_level_and_its_roles_that_need_a_licence(board_pool, clinician):
    membership = make_member(board_pool, clinician.clinician_profile)
    make_guidance_version(slug="md", title="For medical directors", roles=["medical-director"])
    make_guidance_version(slug="board", title="For board members", role_levels=["organisation"])
    make_guidance_version(slug="ceo", title="For chief executives", roles=["chief-executive"])

    licence = licence_of(board_pool, membership)

    assert [version.title for version in licence.guidance] == ["For board members", "For medical directors"]


def test_a_role_that_needs_no_licence_is_never_flagged(board_pool, clinician):
    membership = make_member(board_pool, clinician.clinician_profile, target_role=role("chief-executive"))
    record_due(membership.profile, TODAY - timedelta(days=30))

    licence = licence_of(board_pool, membership)

    assert not licence.needs_licence and licence.flags == [] and licence.guidance == []


def test_without_a_target_role_the_roles_of_the_pools_level_open_to_the_profession_count(board_pool, clinician):
    membership = make_member(board_pool, clinician.clinician_profile)
    record_due(membership.profile, TODAY - timedelta(days=1))

    licence = licence_of(board_pool, membership)

    slugs = {r.slug for r in licence.roles}
    assert {"medical-director", "associate-medical-director"} <= slugs
    assert not slugs & {"chief-nurse", "chief-pharmacist", "chief-executive"}  # other professions', or no licence
    assert [flag.kind for flag in licence.flags] == [LicenceFlagKind.OVERDUE]


def test_the_guidance_is_the_members_regulators_published_guidance_for_the_role(board_pool, md_member):
    for_md = make_guidance_version(slug="md", title="For medical directors", roles=["medical-director"])
    make_guidance_version(slug="board", title="For board members", role_levels=["organisation"])
    make_guidance_version(slug="pharmacist", title="For chief pharmacists", roles=["chief-pharmacist"])
    make_guidance_version(slug="service", title="For service leads", role_levels=["service"])
    make_guidance_version(slug="draft", title="A draft", status="draft")
    make_guidance_version(regulator="NMC", slug="nmc", title="NMC board guidance", role_levels=["organisation"])

    licence = licence_of(board_pool, md_member)

    assert [version.title for version in licence.guidance] == ["For board members", for_md.title]
    assert licence.regulator == Regulator.objects.get(code="GMC")


# --- Where the flags are shown ---------------------------------------------------------------------------------------


def test_the_owner_sees_the_flag_on_the_member_list_and_the_member_page(client, tb_admin, board_pool, md_member):
    record_due(md_member.profile, TODAY - timedelta(days=3))
    make_guidance_version(slug="md", title="For medical directors", roles=["medical-director"])
    client.force_login(tb_admin)

    listing = client.get(reverse("talent:show_pool", kwargs={"pool_id": board_pool.pk})).content.decode()
    page = client.get(
        reverse("talent:assess_pool_member", kwargs={"pool_id": board_pool.pk, "membership_id": md_member.pk})
    ).content.decode()

    assert "Revalidation overdue" in listing and "Due 22 November 2026" in listing
    assert "Medical director needs a licence to practise" in page
    assert "Their revalidation or renewal was due on 22 November 2026" in page
    assert "For medical directors" in page and "/licence/gmc/md/" in page


def test_the_clinician_sees_their_own_flag_and_a_link_to_their_licence_plan(client, clinician, board_pool, md_member):
    profile = md_member.profile
    record_due(profile, TODAY + timedelta(days=200))
    approved(profile, secondment(starts_on=TODAY + timedelta(days=150), ends_on=TODAY + timedelta(days=330)))
    client.force_login(clinician)

    page = client.get(reverse("talent:show_my_pool_membership", kwargs={"membership_id": md_member.pk}))

    content = page.content.decode()
    assert "Revalidation due during a programme" in content
    assert "Your revalidation or renewal is due on 13 June 2027, during Board secondment" in content
    assert reverse("talent:edit_licence_plan") in content


def test_an_invited_clinician_sees_no_flags_yet_but_can_reach_the_licence_plan(client, clinician, board_pool):
    invited = PoolMembership.objects.create(
        pool=board_pool, profile=clinician.clinician_profile, state=MembershipState.INVITED
    )
    record_due(invited.profile, TODAY - timedelta(days=3))
    client.force_login(clinician)

    content = client.get(reverse("talent:show_my_pool_membership", kwargs={"membership_id": invited.pk})).content

    assert b"Revalidation overdue" not in content and reverse("talent:edit_licence_plan").encode() in content


def test_the_api_members_payload_carries_the_licence_and_nothing_for_invitations(
    tb_admin, board_pool, md_member, other_clinician, training_body
):
    record_due(md_member.profile, TODAY - timedelta(days=3))
    make_guidance_version(slug="md", title="For medical directors", roles=["medical-director"])
    invited_profile = ClinicianProfileFactory(training_body=training_body)
    PoolMembership.objects.create(pool=board_pool, profile=invited_profile, state=MembershipState.INVITED)
    api = APIClient()
    api.force_authenticate(tb_admin)
    url = reverse("talent_api:list_pool_members", kwargs={"pool_id": board_pool.pk})

    (member,) = api.get(url).json()["results"]
    (invited,) = api.get(url, {"state": "invited"}).json()["results"]

    licence = member["licence"]
    assert licence["needs_licence"] is True and licence["at_risk"] is True
    assert licence["roles"] == ["medical-director"]
    assert licence["flags"] == [
        {"kind": "overdue", "label": "Revalidation overdue", "due_on": "2026-11-22", "during": None}
    ]
    assert licence["guidance"] == [
        {
            "regulator": "GMC",
            "slug": "md",
            "title": "For medical directors",
            "summary": "For medical directors: a summary.",
            "url": "/licence/gmc/md/",
        }
    ]
    assert licence["licence_plan"] == ""
    assert invited["licence"] is None


def test_the_members_payload_is_in_the_schema(client):
    schema = client.get(reverse("api_schema"), {"format": "json"}).json()
    member = schema["components"]["schemas"]["MemberWithLicence"]
    assert "licence" in member["properties"]
    assert {"needs_licence", "flags", "guidance", "licence_plan"} <= set(
        schema["components"]["schemas"]["MemberLicence"]["properties"]
    )


# --- Whose programme: only someone who may see the nomination learns which programme it is ----------------------------


def owner_views(client, user, pool, membership) -> tuple[str, str, dict]:
    """What `user` sees of the member's flag on the member list, the member page and the API."""
    client.force_login(user)
    listing = client.get(reverse("talent:show_pool", kwargs={"pool_id": pool.pk}))
    page = client.get(reverse("talent:assess_pool_member", kwargs={"pool_id": pool.pk, "membership_id": membership.pk}))
    assert listing.status_code == 200 and page.status_code == 200
    api = APIClient()
    api.force_authenticate(user)
    (member,) = api.get(reverse("talent_api:list_pool_members", kwargs={"pool_id": pool.pk})).json()["results"]
    (flag,) = member["licence"]["flags"]
    return listing.content.decode(), page.content.decode(), flag


def secondment_in_the_way(profile, *, decided_by) -> None:
    record_due(profile, TODAY + timedelta(days=200))
    approved(
        profile,
        secondment(starts_on=TODAY + timedelta(days=150), ends_on=TODAY + timedelta(days=330)),
        training_body=decided_by,
    )


def test_the_admins_of_the_body_that_approved_the_programme_see_which_it_is(
    client, tb_admin, training_body, board_pool, md_member
):
    secondment_in_the_way(md_member.profile, decided_by=training_body)

    listing, page, flag = owner_views(client, tb_admin, board_pool, md_member)

    assert "Due 13 June 2027, during Board secondment" in listing
    assert "Their revalidation or renewal is due on 13 June 2027, during Board secondment (secondment," in page
    assert flag["kind"] == "due_during" and flag["during"]["title"] == "Board secondment"
    assert flag["during"]["opportunity"] == "board-secondment"


def test_an_owner_whose_body_did_not_decide_the_nomination_sees_the_dates_but_not_the_programme(
    client, tb_admin, other_training_body, board_pool, md_member
):
    secondment_in_the_way(md_member.profile, decided_by=other_training_body)

    listing, page, flag = owner_views(client, tb_admin, board_pool, md_member)

    assert "Revalidation due during a programme" in listing
    assert "Due 13 June 2027, during a planned development programme (24 April 2027 to 21 October 2027)" in listing
    assert (
        "Their revalidation or renewal is due on 13 June 2027, during a planned development programme "
        "(24 April 2027 to 21 October 2027). Plan it before 24 April 2027." in page
    )
    assert "Board secondment" not in listing + page and "board-secondment" not in listing + page
    assert flag["kind"] == "due_during" and flag["due_on"] == "2027-06-13"
    assert flag["during"] == {
        "opportunity": None,
        "title": None,
        "starts_on": "2027-04-24",
        "ends_on": "2027-10-21",
    }


def test_hee_staff_who_own_a_pool_see_the_dates_but_never_the_programme(client, hee_staff, clinician, training_body):
    national = make_pool(name="Aspiring national leaders", role_level="national")
    membership = make_member(national, clinician.clinician_profile, target_role=role("national-clinical-director"))
    secondment_in_the_way(membership.profile, decided_by=training_body)

    listing, page, flag = owner_views(client, hee_staff, national, membership)

    assert "during a planned development programme (24 April 2027 to 21 October 2027)" in listing
    assert "during a planned development programme (24 April 2027 to 21 October 2027)" in page
    assert "Board secondment" not in listing + page
    assert flag["during"]["title"] is None and flag["during"]["opportunity"] is None


def test_the_clinician_still_sees_which_of_their_programmes_it_is(
    client, clinician, other_training_body, board_pool, md_member
):
    secondment_in_the_way(md_member.profile, decided_by=other_training_body)
    client.force_login(clinician)

    content = client.get(reverse("talent:show_my_pool_membership", kwargs={"membership_id": md_member.pk})).content

    assert b"during Board secondment (secondment, 24 April 2027 to 21 October 2027)" in content
